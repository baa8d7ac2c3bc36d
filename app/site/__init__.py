"""Site-wide pages: home, language choice, health check and error pages."""
