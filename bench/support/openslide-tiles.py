"""OpenSlide baseline for `npm run bench -- tiles`: times DeepZoomGenerator.get_tile plus JPEG encoding.

Reads one JSON job from stdin: {"file", "tileSize", "quality", "reps", "tiles": [[level, col, row], ...]}.
Each tile is fetched once to warm OpenSlide's cache, then `reps` timed times. Prints one JSON line:
{"ms": [[per-rep milliseconds of tile 0], ...]}.
"""
import io
import json
import sys
import time

import openslide
from openslide.deepzoom import DeepZoomGenerator

job = json.load(sys.stdin)
slide = openslide.OpenSlide(job["file"])
dz = DeepZoomGenerator(slide, tile_size=job["tileSize"], overlap=0, limit_bounds=False)
out = []
for level, col, row in job["tiles"]:
    def once():
        buf = io.BytesIO()
        dz.get_tile(level, (col, row)).save(buf, "JPEG", quality=job["quality"])
        return buf
    once()
    times = []
    for _ in range(job["reps"]):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1000)
    out.append(times)
print(json.dumps({"ms": out}))
