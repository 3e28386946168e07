"""pyopen-wakeword's two TFLite interpreters, rebuilt to run on the calling thread only.

The library creates its interpreters with TFLite's default options, which start a
pool of eight worker threads.  On a feature stream of one 80 ms chunk at a time
those threads mostly wait and spin: measured on the 2-core build machine, one
minute of audio took 4.2 s of CPU with the pool and 2.7 s without it, for 0.2 s
more wall time.  The coach runs the recognizer in one worker beside
PocketSphinx and the speaker, so CPU that spinning takes is CPU they lose (the
engine's real-time factor counts every thread).

pyopen-wakeword has no option for this; its interpreters are rebuilt here with
the TFLite C API it already loaded.  Should a later release lay its object out
differently, the library's own interpreters are kept (slower, same results).
"""

from __future__ import annotations

import ctypes

_PARTS = ("mel", "emb")  # pyopen-wakeword's attribute prefixes: melspectrogram, speech embedding


def _shapes() -> dict[str, tuple[int, ...]] | None:
    try:
        from pyopen_wakeword.openwakeword import EMB_SHAPE, MEL_SHAPE
    except ImportError:
        return None
    return {"mel": tuple(MEL_SHAPE), "emb": tuple(EMB_SHAPE)}


def _laid_out_as_expected(frontend) -> bool:
    names = ("lib", *(f"{p}_{what}" for p in _PARTS for what in ("model", "interpreter", "input_tensor",
                                                                   "output_tensor")))
    return all(getattr(frontend, name, None) for name in names)


def run_on_one_thread(frontend) -> bool:
    """Rebuild ``frontend``'s interpreters with one thread each; False if it was left as it was."""
    shapes = _shapes()
    if shapes is None or not _laid_out_as_expected(frontend):
        return False
    lib = frontend.lib
    try:
        lib.TfLiteInterpreterOptionsCreate.restype = ctypes.c_void_p
        lib.TfLiteInterpreterOptionsSetNumThreads.argtypes = [ctypes.c_void_p, ctypes.c_int32]
        lib.TfLiteInterpreterOptionsDelete.argtypes = [ctypes.c_void_p]
        lib.TfLiteInterpreterDelete.argtypes = [ctypes.c_void_p]
    except AttributeError:  # a TFLite build without these entry points
        return False
    options = lib.TfLiteInterpreterOptionsCreate()
    if not options:
        return False
    try:
        lib.TfLiteInterpreterOptionsSetNumThreads(options, 1)
        built = {}
        for part in _PARTS:
            interpreter = lib.TfLiteInterpreterCreate(getattr(frontend, f"{part}_model"), options)
            if not interpreter:
                for done in built.values():
                    lib.TfLiteInterpreterDelete(done)
                return False
            shape = shapes[part]
            lib.TfLiteInterpreterResizeInputTensor(interpreter, ctypes.c_int32(0), (ctypes.c_int32 * len(shape))(*shape),
                                                   ctypes.c_int32(len(shape)))
            lib.TfLiteInterpreterAllocateTensors(interpreter)
            built[part] = interpreter
    finally:
        lib.TfLiteInterpreterOptionsDelete(options)
    for part, interpreter in built.items():
        lib.TfLiteInterpreterDelete(getattr(frontend, f"{part}_interpreter"))
        setattr(frontend, f"{part}_interpreter", interpreter)
        setattr(frontend, f"{part}_input_tensor", lib.TfLiteInterpreterGetInputTensor(interpreter, ctypes.c_int32(0)))
        setattr(frontend, f"{part}_output_tensor", lib.TfLiteInterpreterGetOutputTensor(interpreter, ctypes.c_int32(0)))
    return True
