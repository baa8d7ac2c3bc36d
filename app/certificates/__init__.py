"""Certificates: issued once on completion, signed, verifiable by anyone, revocable."""
