"""A restricted unpickler for CIFAR batches: a data_dir from an untrusted source must not run code.

A CIFAR batch is a pickled dict of bytes keys, lists of ints or bytes, and one numpy uint8 array. Unpickling calls
only the globals its opcodes name, so refusing every global outside the few that rebuild a numpy array (and
`_codecs.encode`, which Python 3 emits for bytes at protocol 2) leaves no way to reach a callable such as os.system.
"""

from __future__ import annotations

import pickle
from typing import BinaryIO

_NUMPY_GLOBALS = {
    ("multiarray", "_reconstruct"),  # protocols 0-4: ndarray.__reduce__
    ("numeric", "_frombuffer"),  # protocol 5: ndarray.__reduce_ex__ with out-of-band-capable buffers
}
ALLOWED = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
    *((f"numpy.{core}.{module}", name) for core in ("core", "_core") for module, name in _NUMPY_GLOBALS),
}


class ForbiddenGlobal(pickle.UnpicklingError):
    pass


class CifarUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise ForbiddenGlobal(
                f"refused to load {module}.{name}: a CIFAR batch holds only numpy arrays, dicts, lists, bytes, "
                "str and int, so this file is not one (it may try to run code)"
            )
        return super().find_class(module, name)


def load_cifar_pickle(f: BinaryIO):
    return CifarUnpickler(f, encoding="bytes").load()
