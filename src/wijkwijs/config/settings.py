"""Django settings for Wijkwijs. Every value that differs per installation comes from the
environment through :mod:`wijkwijs.core.env`; see docs/configuration.md."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from wijkwijs.core.env import setting, setting_bool, setting_float, setting_int, setting_list

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(
    setting(
        "WIJKWIJS_VAR_DIR",
        "var",
        "Directory for the SQLite database, uploads, sent mail and other run-time files "
        "(relative paths start at the working directory).",
    )
    or "var"
).resolve()

DEBUG = setting_bool("WIJKWIJS_DEBUG", False, "Django debug mode; never true in production.")
SECRET_KEY = setting(
    "WIJKWIJS_SECRET_KEY",
    "insecure-demo-key-change-me",
    "Secret key for signing sessions and tokens; set a long random value in production.",
)
ALLOWED_HOSTS = setting_list(
    "WIJKWIJS_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"],
    "Comma-separated host names the app answers to.",
)
CSRF_TRUSTED_ORIGINS = setting_list(
    "WIJKWIJS_CSRF_TRUSTED_ORIGINS", [], "Comma-separated origins trusted for CSRF (https://...)."
)
DEMO_MODE = setting_bool(
    "WIJKWIJS_DEMO",
    False,
    "Demo mode: shows the demo accounts on the login page and marks the site as a demo.",
)
MUNICIPALITY_CODE = setting(
    "WIJKWIJS_MUNICIPALITY", "GM0828", "CBS code of the municipality this installation serves."
)
MUNICIPALITY_NAME = setting("WIJKWIJS_MUNICIPALITY_NAME", "Oss", "Display name of the municipality.")

DATABASES = {
    "default": dj_database_url.parse(
        setting(
            "DATABASE_URL",
            "",
            "Database URL: postgres://user:pass@host:5432/name or sqlite:////abs/path; "
            "empty means SQLite in WIJKWIJS_VAR_DIR/wijkwijs.sqlite3.",
        )
        or f"sqlite:///{VAR_DIR / 'wijkwijs.sqlite3'}",
        conn_max_age=setting_int(
            "WIJKWIJS_DB_CONN_MAX_AGE", 0, "Seconds to keep database connections open (0 = close)."
        ),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in-memory for tests unless told otherwise

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "wijkwijs.core",
    "wijkwijs.accounts",
    "wijkwijs.audit",
    "wijkwijs.areas",
    "wijkwijs.monitoring",
    "wijkwijs.intake",
    "wijkwijs.budgeting",
    "wijkwijs.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wijkwijs.core.middleware.ApiVersionMiddleware",
]

ROOT_URLCONF = "wijkwijs.config.urls"
WSGI_APPLICATION = "wijkwijs.config.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijkwijs.core.context_processors.site",
            ],
            "builtins": ["wijkwijs.core.templatetags.wijkwijs"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "areas:home"
LOGOUT_REDIRECT_URL = "areas:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = setting("WIJKWIJS_TIME_ZONE", "Europe/Amsterdam", "Time zone for display and deadlines.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = setting(
    "WIJKWIJS_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend",
    "Django e-mail backend; the demo writes mail to files under WIJKWIJS_VAR_DIR/mail.",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = setting("WIJKWIJS_EMAIL_HOST", "localhost", "SMTP host for the smtp backend.")
EMAIL_PORT = setting_int("WIJKWIJS_EMAIL_PORT", 25, "SMTP port.")
EMAIL_USE_TLS = setting_bool("WIJKWIJS_EMAIL_USE_TLS", False, "Use STARTTLS for SMTP.")
DEFAULT_FROM_EMAIL = setting(
    "WIJKWIJS_FROM_EMAIL", "wijkwijs@gemeente.example", "Sender address of outgoing e-mail."
)

TASKS = {
    "default": {
        "BACKEND": setting(
            "WIJKWIJS_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend",
            "Task backend: django_tasks_db.DatabaseBackend (worker: wijkwijs db_worker) "
            "or django_tasks.backends.immediate.ImmediateBackend.",
        )
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wijkwijs.core.api.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "wijkwijs.core.api.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkwijs API",
    "DESCRIPTION": "REST API of Wijkwijs, following the NL API Design Rules.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "CONTACT": {"name": "Wijkwijs"},
    "LICENSE": {"name": "EUPL-1.2"},
    "SERVERS": [{"url": "/"}],
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "wijkwijs.areas.models.Kind",
        "IndicatorKindEnum": "wijkwijs.monitoring.models.IndicatorKind",
        "ItemKindEnum": "wijkwijs.intake.models.Kind",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = setting_bool(
    "WIJKWIJS_SECURE_COOKIES", False, "Send session and CSRF cookies over HTTPS only."
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

SMALL_NUMBER_THRESHOLD = setting_int(
    "WIJKWIJS_SMALL_NUMBER_THRESHOLD",
    50,
    "Areas with fewer inhabitants have their figures suppressed in public views.",
)

# Intake (module S)
INTAKE_CLASSIFIER_ENABLED = setting_bool(
    "WIJKWIJS_INTAKE_CLASSIFIER_ENABLED", True, "Suggest a category for new items with the text classifier."
)
INTAKE_CLASSIFIER_THRESHOLD = setting_float(
    "WIJKWIJS_INTAKE_CLASSIFIER_THRESHOLD", 0.4, "Below this confidence a person decides the category (0 to 1)."
)
INTAKE_DEFER_API_PROCESSING = setting_bool(
    "WIJKWIJS_INTAKE_DEFER_API_PROCESSING", True,
    "Classify, locate and route API submissions in a background task after commit.",
)
INTAKE_MAX_UPLOAD_BYTES = setting_int(
    "WIJKWIJS_INTAKE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, "Largest photo or PDF a submitter may attach, in bytes."
)
INTAKE_PUBLIC_URL = setting(
    "WIJKWIJS_INTAKE_PUBLIC_URL", "", "Public base URL used in e-mails to submitters (empty: relative links)."
)
INTAKE_RATE_LIMIT = setting(
    "WIJKWIJS_INTAKE_RATE_LIMIT", "30/h", "Submissions per client address on public forms and APIs (count/s|m|h|d; empty: off)."
)
CODE_ATTEMPT_LIMIT = setting(
    "WIJKWIJS_CODE_ATTEMPT_LIMIT", "20/h",
    "Wrong voting or cheque codes per client address before code entry pauses (count/s|m|h|d; empty: off).",
)
INTAKE_RETENTION_DAYS = setting_int(
    "WIJKWIJS_INTAKE_RETENTION_DAYS", 365, "Submitter contact data is anonymised this many days after closing."
)
INTAKE_TRIAGE_DAYS = setting_int(
    "WIJKWIJS_INTAKE_TRIAGE_DAYS", 1, "Working days for the no-owner queue to route an item."
)
INTAKE_ESCALATION_EVERY_MINUTES = setting_int(
    "WIJKWIJS_INTAKE_ESCALATION_EVERY_MINUTES", 15, "How often `wijkwijs periodic` enqueues the escalation scan."
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": setting("WIJKWIJS_LOG_LEVEL", "WARNING", "Log level of the root logger."),
    },
}
