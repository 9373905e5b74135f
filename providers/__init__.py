"""Real services the harness starts for the variants to talk to (today: an OpenID Connect provider)."""
