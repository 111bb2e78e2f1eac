"""Health Policy Archive: the Django project and its one app."""
