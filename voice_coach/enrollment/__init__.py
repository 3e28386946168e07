"""Enrollment: learning one person's voice from a few takes of the core commands (``voice-coach enroll``)."""
