"""Django settings, all taken from the environment through coproduce.site.config."""

from __future__ import annotations

from pathlib import Path

from coproduce.site import config

SITE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
OUTPUTS_DIR = DATA_DIR / "outputs"

DEBUG = config.env_flag("COPRODUCE_DEBUG")
SECRET_KEY = config.secret_key(DATA_DIR, DEBUG)
ALLOWED_HOSTS = config.allowed_hosts()
DATABASES = {"default": config.database(DATA_DIR)}

# Background work (opinion analyses) is queued in the database and run by `coproduce worker`,
# which `coproduce serve` and `coproduce demo` start alongside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "axes",  # sign-in lockout after repeated failures
    "ninja",  # its API documentation page, served from its own packaged assets, not a CDN
    "coproduce.accounts",
    "coproduce.studies",
    "coproduce.conversations",
    "coproduce.stories",
    "coproduce.casestudies",
    "coproduce.publications",
    "coproduce.coding",
    "coproduce.equity",
    "coproduce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduce.site.web.ProblemMiddleware",
    "coproduce.site.web.HeadersMiddleware",
    "coproduce.site.web.LimitsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coproduce.site.urls"
WSGI_APPLICATION = "coproduce.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address first
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account,
# or from one address, that account or address may not sign in for AXES_COOLOFF_TIME hours; a
# right password does not lift it. The lockout page says so with 429 (Too Many Requests).
AXES_FAILURE_LIMIT = config.whole_number("COPRODUCE_LOGIN_FAILURES", 10)
AXES_COOLOFF_TIME = config.whole_number("COPRODUCE_LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind the proxy, the client's address is the last one the proxy added.
AXES_IPWARE_PROXY_COUNT = 1 if config.env_flag("COPRODUCE_BEHIND_PROXY") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Password reset by e-mail when an SMTP server is configured; otherwise a site administrator
# makes a one-time link with `coproduce reset-link EMAIL`. Either link works once, for a day.
EMAIL = config.email()
globals().update(EMAIL)
PASSWORD_RESET_BY_EMAIL = bool(EMAIL)
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: every string is translatable; English (UK) is the default.
LANGUAGE_CODE = "en-gb"
# Each language named in itself, as a picker should.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/London"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "files"
# Source maps are for developers' tools, never sent compressed to people: compressing them (5 MB
# of the API documentation's) would slow every start of the server.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf",
    "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg",
    "webm", "wmv", "map",
)  # fmt: skip

# Served over HTTPS (directly or behind a TLS proxy): secure cookies, redirects to HTTPS, HSTS,
# and the origins CSRF checks forms against. Behind a proxy, it must set X-Forwarded-Proto.
HTTPS = config.env_flag("COPRODUCE_HTTPS")
if config.env_flag("COPRODUCE_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = config.hsts_seconds()
    # Other sites under the same domain may not be ours to hold to HTTPS: the operator says.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_flag("COPRODUCE_HSTS_SUBDOMAINS")
    CSRF_TRUSTED_ORIGINS = config.https_origins(ALLOWED_HOSTS)
# Preloading HSTS is a commitment made with the browsers' list, not a setting; and including
# subdomains is the operator's choice above (docs/deployment.md).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS or config.env_flag("COPRODUCE_SECURE_COOKIES")
# Uploads (recordings, transcripts) larger than this are refused with a sentence saying so.
COPRODUCE_UPLOAD_MAX_BYTES = config.upload_limit_bytes()
# People not signed in (a participant's recording) may upload less (COPRODUCE_PUBLIC_UPLOAD_MAX_MB).
COPRODUCE_PUBLIC_UPLOAD_MAX_BYTES = (
    config.whole_number("COPRODUCE_PUBLIC_UPLOAD_MAX_MB", 50) * 1024 * 1024
)
# Each upload is counted as it arrives and stops being kept past its cap (coproduce.uploads).
FILE_UPLOAD_HANDLERS = [
    "coproduce.uploads.CappedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
