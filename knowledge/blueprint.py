"""The kennisbank blueprint, shared by its view modules."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__)
