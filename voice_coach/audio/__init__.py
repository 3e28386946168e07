"""Adapters at the audio edge (hardware stays out of the session engine).

- ``devices``     list/pick sound devices, "no sound device at all" check
- ``microphone``  ``MicrophoneStream`` protocol + supervised sounddevice microphone (16 kHz int16)
- ``capture``     the device side of the microphone (format choice, PortAudio stream), swappable
- ``resampler``   streaming resampler used by the microphone
- ``tts``         ``synthesize(text, settings)`` → (int16 samples, rate), pyttsx3 or espeak-ng
- ``player``      ``ClipPlayer``: stoppable clip playback through sounddevice
- ``speaker``     ``Speaker`` protocol + ``SoundDeviceSpeaker`` (queue, barge-in, spans)
- ``chimes``      ``chime_audio(kind)`` and the non-blocking ``ChimePlayer``
- ``fake_mic`` / ``fake_speaker``  hardware-free stand-ins for tests, ``--text`` and the demo
- ``wavio``       WAV read/write/resample (owned by the grammar/recognition side)
"""
