"""The web console (Chinese pages over the service functions): see routes.py."""
