"""voice-coach: a hands-free, offline voice coach for foot-massage routines."""

__version__ = "0.1.0"
