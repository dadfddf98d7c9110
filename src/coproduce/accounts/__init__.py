"""Team members' accounts: sign in with e-mail and password."""
