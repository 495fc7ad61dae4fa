"""QR codes as inline SVG (no image files, nothing to fetch)."""

from __future__ import annotations

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An inline `<svg>` element encoding `data` (error correction M)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    svg: str = code.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")
    return svg[svg.index("<svg") :]
