"""The privacy guard (moved from forum/privacy.py): every feature that lets members write
text scans it with `core.privacy.guard.scan_text` before saving."""
