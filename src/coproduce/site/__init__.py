"""The web and process shell: settings, URLs, WSGI, the API root, middleware, request helpers,
and the server start-up. It sits above the domain apps and wires them together.
"""
