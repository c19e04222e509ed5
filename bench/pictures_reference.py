"""The pictures benchmark's photos and its reference.

make DIR N: writes N different 4000x3000 JPEG photos (gradients, shapes and sensor-like
noise, so they compress like real photos) with an EXIF rotation flag and a GPS position.
run FILE: does the work newsdesk does to one photo with Pillow and prints the seconds taken.
"""
import io
import random
import sys
import time

from PIL import Image, ImageDraw, ImageFilter, ImageOps

WIDTHS = [320, 640, 960, 1280, 1920]


def make(folder, n):
    for i in range(1, n + 1):
        rnd = random.Random(i)
        img = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
        draw = ImageDraw.Draw(img)
        for _ in range(60):
            x, y = rnd.randrange(4000), rnd.randrange(3000)
            r = rnd.randrange(40, 600)
            colour = tuple(rnd.randrange(256) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        img = img.filter(ImageFilter.GaussianBlur(3))
        noise = Image.effect_noise((4000, 3000), 24).convert("RGB")
        img = Image.blend(img, noise, 0.15)
        exif = Image.Exif()
        exif[0x0112] = 6  # turn 90 degrees clockwise to show
        exif[0x010F] = "Handset Maker"
        gps = exif.get_ifd(0x8825)
        gps[1] = "N"
        gps[2] = (48.0, 51.0, 29.0)
        gps[3] = "E"
        gps[4] = (2.0, 17.0, 40.0)
        img.save(f"{folder}/photo-{i}.jpg", quality=92, exif=exif)


def run(path):
    start = time.perf_counter()
    img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    clean = io.BytesIO()
    img.save(clean, "JPEG", quality=84)
    for w in WIDTHS:
        if w >= img.width:
            continue
        h = round(img.height * w / img.width)
        small = img.resize((w, h), Image.LANCZOS)
        small.save(io.BytesIO(), "JPEG", quality=84)
        small.save(io.BytesIO(), "WEBP", quality=80)
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2])
