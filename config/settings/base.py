"""Settings shared by every environment. Values that vary come from config.env."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.var_dir()

SECRET_KEY = env.secret_key(VAR_DIR)
PII_KEY = env.pii_key(VAR_DIR)
# Keys the audit log's hash chain (HMAC); keep it outside the database, like the PII key.
AUDIT_KEY = env.local_key(VAR_DIR, "audit.key", "GRIDGOV_AUDIT_KEY")
# The audit chain's head is signed with this key and appended to the anchor file, outside the
# database, so a cut end, an emptied table or an older database restored shows. Point the file at
# another disk (or a mount that is not backed up with the database) in production: a backup that
# holds both the database and its anchors could restore them together.
AUDIT_ANCHOR_KEY = env.audit_anchor_key(SECRET_KEY)
AUDIT_ANCHOR_FILE = env.env_str("GRIDGOV_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl"))
# A process anchors after a commit at most once in this many seconds; a periodic task anchors
# every minute whatever the traffic.
AUDIT_ANCHOR_INTERVAL_SECONDS = env.env_int("GRIDGOV_AUDIT_ANCHOR_INTERVAL", 10)
# The emergency broadcast signs every delivery with this Ed25519 private key (PEM), kept outside
# the database; created on first use where the file is missing. Terminals hold its public key.
# The offline speech engine on PATH (eSpeak NG, its Mandarin voice `cmn`); empty: none is used.
BROADCAST_SPEECH_ENGINE = env.env_str("GRIDGOV_BROADCAST_SPEECH_ENGINE", "espeak-ng")
BROADCAST_SIGNING_KEY_FILE = env.env_str(
    "GRIDGOV_BROADCAST_SIGNING_KEY_FILE", str(VAR_DIR / "broadcast-signing.pem")
)
# The MQTT broker the broadcast publishes to (Mosquitto in production); `make run` starts an
# embedded one at this address.
MQTT_URL = env.env_str("MQTT_URL", "mqtt://127.0.0.1:1884")
# With several acknowledgement listeners on Mosquitto: a shared subscription group, so each
# acknowledgement goes to one of them (the embedded broker has none: leave it empty there).
MQTT_SHARED_GROUP = env.env_str("GRIDGOV_MQTT_SHARED_GROUP", "")
DEBUG = False
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "axes",
    "gridgov.core",
    "gridgov.regions",
    "gridgov.accounts",
    "gridgov.notifications",
    "gridgov.api",
    "gridgov.cases",
    "gridgov.open311",
    "gridgov.broadcast",
    "gridgov.dashboards",
    "gridgov.people",
    "gridgov.mediation",
    "gridgov.teams",
    "gridgov.volunteers",
    "gridgov.trainings",
    "gridgov.activities",
    "gridgov.assessment",
    "gridgov.web",
    "gridgov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server (compressed, cached for ever under hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gridgov.core.middleware.ContentSecurityPolicyMiddleware",
    "gridgov.core.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gridgov.web.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gridgov.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the authenticated user and every login path (web, admin, API).
    "axes.middleware.AxesMiddleware",
]


# Scripts only from this server (no inline script, no eval); styles may be inline (Leaflet and
# ECharts set them); images also from data: and blob: URLs (map markers, chart exports). A county
# that configures base-map tiles adds their host to img-src here.
def map_tile_origin(template: str) -> str:
    """The CSP source of a tile URL template: its scheme and host, a `{s}` subdomain as `*`
    (https://t{s}.tianditu.gov.cn/... -> https://*.tianditu.gov.cn); "" for no template."""
    parsed = urlsplit(template.replace("{s}", "SUBDOMAIN"))
    if not parsed.scheme or not parsed.netloc:
        return ""
    host = parsed.netloc
    if "SUBDOMAIN" in host:
        host = "*." + host.split(".", 1)[1]
    return f"{parsed.scheme}://{host}"


# Base-map tiles, when the deployment has them: a Leaflet URL template, e.g. Tianditu's
# (with the county's key) or a local tile server's http://tiles.example/{z}/{x}/{y}.png. Without
# it the maps draw the region outlines only, and every point and village still comes out right.
GRIDGOV_MAP_TILES = env.env_str("GRIDGOV_MAP_TILES")
GRIDGOV_MAP_TILES_ATTRIBUTION = env.env_str("GRIDGOV_MAP_TILES_ATTRIBUTION")
_TILE_SOURCE = map_tile_origin(GRIDGOV_MAP_TILES)

GRIDGOV_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data: blob:{' ' + _TILE_SOURCE if _TILE_SOURCE else ''}; "
    "connect-src 'self'; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Bodies: 10 MB of fields; uploaded files are counted while they arrive (core.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GRIDGOV_MAX_UPLOAD_BYTES = env.env_int("GRIDGOV_MAX_UPLOAD_MB", 50) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "gridgov.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gridgov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gridgov.notifications.views.inbox_unread",
                "gridgov.core.context_processors.map_tiles",
            ],
        },
    },
]


def sqlite_database(path: str) -> dict[str, object]:
    """The embedded default: WAL, writes serialised by BEGIN IMMEDIATE, a busy timeout, fsync on commit."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Keep a worker's connection between requests: opening one runs the PRAGMAs below and
        # starts with an empty page cache, which cost more than the rest of a small request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # A 64 MB page cache (the default is 2 MB) for a database of a few gigabytes.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
            ),
        },
    }


def database_from_url(url: str) -> dict[str, object]:
    import dj_database_url

    if url.startswith("sqlite:///"):
        return sqlite_database(url.removeprefix("sqlite:///"))
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    return config


DATABASE_URL = env.env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(str(VAR_DIR / "gridgov.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Idle-session timeout: the cookie's age is renewed on every request, so it lapses after
# GRIDGOV_IDLE_TIMEOUT_MINUTES without activity.
IDLE_TIMEOUT_MINUTES = env.env_int("GRIDGOV_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

# API tokens lapse this many hours after they were issued (a new login issues a new one).
API_TOKEN_TTL_HOURS = env.env_int("GRIDGOV_API_TOKEN_TTL_HOURS", 12)

# Lockout after repeated failures, on every login path (web, admin, API token).
AXES_FAILURE_LIMIT = env.env_int("GRIDGOV_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.env_int("GRIDGOV_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A lockout shows the login page again with a message (JSON under /api/).
AXES_LOCKOUT_CALLABLE = "gridgov.web.lockout.lockout_response"
# Behind nginx every request comes from the proxy: count the client the trusted hops name.
AXES_CLIENT_IP_CALLABLE = "gridgov.core.clientaddress.client_address"

LANGUAGE_CODE = "zh-hans"
# Our own format overrides (numbers grouped by thousands in Chinese too).
FORMAT_MODULE_PATH = ["gridgov.formats"]
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "gridgov" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "gridgov" / "static"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "gridgov.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "gridgov.core.jsonbody.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "gridgov.core.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "gridgov.core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gridgov API",
    "DESCRIPTION": "Grassroots social governance: regions, accounts, cases.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Given as JavaScript (drf-spectacular inserts a string as is): whoever pastes a bare token into
    # "Authorize" gets the `Token ` prefix our authentication expects; a session user's writes
    # carry the CSRF token from its cookie.
    "SWAGGER_UI_SETTINGS": """{
  "persistAuthorization": true,
  "requestInterceptor": (request) => {
    const auth = request.headers["Authorization"];
    if (auth && !/^(Token|Bearer|Basic) /.test(auth)) {
      request.headers["Authorization"] = "Token " + auth.trim();
    }
    const csrf = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (csrf && !["GET", "HEAD", undefined].includes(request.method)) {
      request.headers["X-CSRFToken"] = decodeURIComponent(csrf[1]);
    }
    return request;
  }
}""",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gridgov.core.openapi.document_refusals",
    ],
    # Several models have a `level` or `channel`; name their enums so they do not collide.
    "ENUM_NAME_OVERRIDES": {
        "HandlingLevelEnum": "gridgov.cases.models.HandlingLevel",
        "RegionLevelEnum": "gridgov.regions.models.Level",
        "CaseChannelEnum": "gridgov.cases.models.Channel",
        "CaseActionEnum": "gridgov.cases.states.Action",
        "CentreLevelEnum": "gridgov.mediation.models.CentreLevel",
        "RiskLevelEnum": "gridgov.mediation.models.RiskLevel",
        "RiskKindEnum": "gridgov.mediation.models.RiskKind",
        "RiskStatusEnum": "gridgov.mediation.models.RiskStatus",
        "PartyKindEnum": "gridgov.mediation.models.PartyKind",
        "MessageKindEnum": "gridgov.broadcast.models.MessageKind",
        "CapUrgencyEnum": "gridgov.broadcast.models.Urgency",
        "CaseUrgencyEnum": "gridgov.cases.models.Urgency",
        "BuildingKindEnum": "gridgov.people.models.Building.Kind",
        "OrganisationKindEnum": "gridgov.people.models.Organisation.Kind",
        "PackageKindEnum": "gridgov.assessment.models.PackageKind",
        "RoleEnum": "gridgov.core.access.Role",
    },
}

# Background jobs: SqliteHuey embedded, RedisHuey when REDIS_URL is set.
REDIS_URL = env.env_str("REDIS_URL")
HUEY: dict[str, object] = (
    {"huey_class": "huey.RedisHuey", "name": "gridgov", "url": REDIS_URL, "immediate": False}
    if REDIS_URL
    else {
        "huey_class": "huey.SqliteHuey",
        "name": "gridgov",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
)

# Rate limits and one-use challenge tokens must be shared by every worker process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
# The residents' public report form.
GRIDGOV_PUBLIC_REPORTS_PER_HOUR = env.env_int("GRIDGOV_PUBLIC_REPORTS_PER_HOUR", 5)
GRIDGOV_PUBLIC_CHALLENGE_FAILURES_PER_HOUR = env.env_int(
    "GRIDGOV_PUBLIC_CHALLENGE_FAILURES_PER_HOUR", 20
)
# How many reverse proxies (nginx: 1) stand before the app; client addresses are read from
# the right end of X-Forwarded-For accordingly.
GRIDGOV_TRUSTED_PROXY_HOPS = env.env_int("GRIDGOV_TRUSTED_PROXY_HOPS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO")},
    # The Huey consumer installs its own handler: keep its lines from being printed twice.
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "INFO", "propagate": False}},
}

# The county this installation serves (statistical area code); used by the demo and Open311.
GRIDGOV_COUNTY_CODE = env.env_str("GRIDGOV_COUNTY_CODE", "610324")

# SMS: the console backend by default (no vendor reachable); set a vendor backend in production.
SMS_BACKEND = env.env_str("GRIDGOV_SMS_BACKEND", "gridgov.notifications.sms.ConsoleBackend")
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 40 * 1024 * 1024
# Handlers are warned this many hours before a case's deadline.
DEADLINE_WARNING_HOURS = env.env_int("GRIDGOV_DEADLINE_WARNING_HOURS", 4)
