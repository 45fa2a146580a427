from wijkwijs.budgeting.register_models import *  # noqa
