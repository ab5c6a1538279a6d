"""The insight blueprint; its routes live in views, signal_views and unsubscribe_views."""

from flask import Blueprint

bp = Blueprint("insight", __name__)
