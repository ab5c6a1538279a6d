"""The auth blueprint, shared by auth/views.py and auth/avg_views.py (the AVG pages)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
