"""Third-party-library peers for Entativa's notification channels.

Each peer runs on a free 127.0.0.1 port in a background thread, checks what it receives against
the relevant standard with libraries we did not write, and records requests and failures.
"""
