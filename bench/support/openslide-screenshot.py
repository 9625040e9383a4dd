"""The screenshots benchmark's baseline: OpenSlide read_region + Pillow drawing + JPEG, as a Python server would.

Usage: openslide-screenshot.py <slide> <shapes.json> <x> <y> <level> <size> <reps>
shapes.json: {"polygon": answer-json-text, "points": answer-json-text}. Prints one time in ms per rep.
"""
import io
import json
import sys
import time

import openslide
from PIL import ImageDraw

slide_path, shapes_path, x, y, level, size, reps = sys.argv[1:8]
x, y, level, size, reps = int(x), int(y), int(level), int(size), int(reps)
texts = json.load(open(shapes_path))
slide = openslide.OpenSlide(slide_path)
ds = slide.level_downsamples[level]
scale = 1 / ds
RADIUS = 3


def shot():
    polygon = json.loads(texts["polygon"])[0]["points"]
    points = json.loads(texts["points"])
    image = slide.read_region((x, y), level, (size, size)).convert("RGB")
    draw = ImageDraw.Draw(image)
    ring = [((p["x"] - x) * scale, (p["y"] - y) * scale) for p in polygon]
    draw.line(ring + ring[:1], fill=(0, 255, 0), width=2)
    for p in points:
        px, py = (p["x"] - x) * scale, (p["y"] - y) * scale
        draw.ellipse((px - RADIUS, py - RADIUS, px + RADIUS, py + RADIUS), fill=(0, 0, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, subsampling=0)
    return out.getvalue()


shot()  # warm: OpenSlide's tile cache, as the server's is warm
for _ in range(reps):
    start = time.perf_counter()
    jpeg = shot()
    print(f"{(time.perf_counter() - start) * 1000:.3f}", flush=True)
print(f"bytes {len(jpeg)}", file=sys.stderr)
