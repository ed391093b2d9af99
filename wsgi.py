"""Entry point for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
import gc

from app import create_app

app = create_app()
# Everything made so far (modules, the app, its templates and forms) lives as long as the
# worker: keep it out of the garbage collector's full passes, which otherwise walk it
# every few requests (measured: several milliseconds of a large form's POST).
gc.collect()
gc.freeze()
