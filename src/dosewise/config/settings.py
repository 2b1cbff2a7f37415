"""Settings, all read from the environment (see `.env.example`).

Three modes, named by DOSEWISE_ENV and nothing else (an unknown name stops the start):
development (the default: embedded SQLite under DOSEWISE_DATA_DIR, a generated secret key
kept beside the database), test (the same, with e-mail kept in memory instead of files)
and production, which refuses to start with DEBUG on, a weak or default secret
key, no or wildcard allowed hosts, or no https site URL.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dosewise import __version__
from dosewise.lib.env import envbool, envint, envlist, envstr
from dosewise.lib.settings_checks import secret_key_weakness, site_url_problem

VERSION = __version__
ENVIRONMENTS = ("development", "test", "production")
ENVIRONMENT = envstr("DOSEWISE_ENV", "development")
if ENVIRONMENT not in ENVIRONMENTS:
    # "prod" or "Production" silently meaning development would run a clinic without its safeguards.
    raise ImproperlyConfigured(f"DOSEWISE_ENV={ENVIRONMENT!r} is not one of {', '.join(ENVIRONMENTS)} "
                               "(lower case, exactly)")
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = Path(envstr("DOSEWISE_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    # Development: keep one generated key beside the data so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The address patients and staff reach this server at. Every link in a message (invitations,
# password resets, questionnaire links) is built from it, never from the request's Host header.
SITE_URL = (envstr("DOSEWISE_SITE_URL") or envstr("SITE_URL") or f"http://localhost:{envint('PORT', 8000)}").rstrip("/")
# Reverse proxies of ours in front of the app (0: none). Behind the documented nginx set 1:
# the client's address is then the X-Forwarded-For entry that proxy added (dosewise/lib/client_address.py).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 10:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be 0 (no proxy) to 10")

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (DOSEWISE_ENV=production)")
    if _problem := secret_key_weakness(SECRET_KEY):
        raise ImproperlyConfigured(f"SECRET_KEY is unsafe for production: {_problem}. Generate one with "
                                   "python -c \"import secrets; print(secrets.token_urlsafe(50))\"")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this server answers to")
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS=* accepts any Host header in production; name the host names")
    if not envstr("DOSEWISE_SITE_URL") and not envstr("SITE_URL"):
        raise ImproperlyConfigured("DOSEWISE_SITE_URL must be set in production (e.g. https://dosewise.clinic.example)")
if _problem := site_url_problem(SITE_URL, production=PRODUCTION):
    raise ImproperlyConfigured(f"DOSEWISE_SITE_URL={SITE_URL!r}: {_problem}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Lets django-ninja serve its API docs page from this server instead of a CDN (see the CSP).
    "ninja",
    # Before allauth, so the Dosewise layout and templates override allauth's own.
    "dosewise.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "dosewise.accounts",
    "dosewise.clinics",
    "dosewise.audit",
    "dosewise.patients",
    "dosewise.notifications",
    "dosewise.assessments",
    "dosewise.medications",
    "dosewise.monitoring",
    "dosewise.outreach",
    "dosewise.scheduling",
    "dosewise.visits",
    "dosewise.messaging",
    "dosewise.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dosewise.lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dosewise.clinics.row_security.ClinicRowSecurityMiddleware",
    "dosewise.lib.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "dosewise.audit.middleware.AuditContextMiddleware",
    "dosewise.patients.middleware.MergedRecordMiddleware",
    "dosewise.portal.middleware.PortalRecordChoiceMiddleware",
    "dosewise.accounts.middleware.IdleTimeoutMiddleware",
    "dosewise.accounts.middleware.StaffMfaRequiredMiddleware",
]

ROOT_URLCONF = "dosewise.config.urls"
WSGI_APPLICATION = "dosewise.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dosewise.web.context_processors.dosewise",
            ],
            "builtins": ["dosewise.web.templatetags.dosewise_format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dosewise.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without blocking readers; the
    # timeout makes a writer wait for the other instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # allauth's backend, reading the user with their clinic (accounts/backends.py). Sessions signed in
    # under the plain allauth backend before this setting changed are signed out once.
    "dosewise.accounts.backends.ClinicAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): e-mail login, no public sign-up, TOTP + recovery codes.
ACCOUNT_ADAPTER = "dosewise.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"
# Sign-in limits (dosewise/accounts/lockout.py): five failed sign-ins lock that account for
# 15 minutes; an address is never refused a sign-in to a real account, only, after
# LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT failures in 15 minutes, more attempts for addresses
# without an account. Floods of requests are limited at the reverse proxy.
LOGIN_FAILED_RATE_LIMIT = envstr("LOGIN_FAILED_RATE_LIMIT", "5/15m/key")
if any(part.strip().count("/") < 2 or not part.strip().endswith("/key")
       for part in LOGIN_FAILED_RATE_LIMIT.split(",") if part.strip()):
    raise ImproperlyConfigured(f"LOGIN_FAILED_RATE_LIMIT={LOGIN_FAILED_RATE_LIMIT!r}: only per-account limits "
                               "(N/period/key) are allowed; a per-address limit would lock out everyone behind "
                               "one address (use LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT)")
LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT = envint("LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT", 20)
ACCOUNT_RATE_LIMITS = {
    "login_failed": LOGIN_FAILED_RATE_LIMIT,
    # allauth's default of 30 sign-in requests a minute per address would refuse a whole clinic's
    # correct passwords behind one address; the proxy's limit_req does this job instead.
    "login": "",
    "reset_password": "5/h/ip,3/h/key",
}
# Passkeys (WebAuthn) as a second factor and as a sign-in of their own; a one-time code by
# e-mail as another way in (an account with MFA is still asked for it); every signed-in browser
# is listed so that it can be signed out (allauth.usersessions).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
# Each browser is recorded when it signs in; tracking every request would cost five queries a page.
USERSESSIONS_TRACK_ACTIVITY = False
MFA_TOTP_ISSUER = "Dosewise"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
LOGIN_REDIRECT_URL = "web:home"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Staff sessions end after this many minutes without a request.
STAFF_IDLE_TIMEOUT_MINUTES = envint("STAFF_IDLE_TIMEOUT_MINUTES", 15)
# Patient-portal sessions end after this many minutes without a request (docs/decisions/0009).
PATIENT_IDLE_TIMEOUT_MINUTES = envint("PATIENT_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = envint("SESSION_MAX_AGE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION or envbool("SECURE_COOKIES", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_HTTPS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CACHES = {
    # A database cache keeps login rate limits shared between web processes and restarts.
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dosewise_cache"},
}

TASKS = {
    "default": {
        "BACKEND": envstr("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = envstr("EMAIL_BACKEND", {
    "production": "django.core.mail.backends.smtp.EmailBackend",
    "test": "django.core.mail.backends.locmem.EmailBackend",
}.get(ENVIRONMENT, "django.core.mail.backends.filebased.EmailBackend"))
EMAIL_FILE_PATH = str(DATA_DIR / "outbox-mail")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Dosewise <no-reply@localhost>")
# Text messages (see dosewise/notifications/sms.py): file outside production, none until configured in it.
SMS_BACKEND = envstr("SMS_BACKEND", "none" if PRODUCTION else "file")
SMS_FILE_PATH = str(DATA_DIR / "outbox-sms")
SMS_DEFAULT_COUNTRY_CODE = envstr("SMS_DEFAULT_COUNTRY_CODE", "1")
TWILIO_ACCOUNT_SID = envstr("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = envstr("TWILIO_AUTH_TOKEN")
TWILIO_FROM = envstr("TWILIO_FROM")
# Video visits (docs/decisions/0044): the clinic's Jitsi Meet server; with an app id and secret
# (token authentication) every participant's link carries a signed JWT.
JITSI_BASE_URL = envstr("JITSI_BASE_URL", "https://meet.jit.si").rstrip("/")
JITSI_APP_ID = envstr("JITSI_APP_ID")
JITSI_APP_SECRET = envstr("JITSI_APP_SECRET")

# The audit trail (docs/decisions/0039, 0040): events are sealed into their chain by the clock
# every AUDIT_SEAL_SECONDS; the sealer leaves events younger than the margin for its next run.
# Signed checkpoints of every chain's head every AUDIT_CHECKPOINT_SECONDS: HMAC-SHA256 with
# DOSEWISE_AUDIT_KEY (or the file DOSEWISE_AUDIT_KEY_FILE names), else with the key file in the
# data directory (created with mode 0600 on migrate); each is kept in the database, appended to
# the file outside it and, when a URL is set, posted there.
AUDIT_SEAL_SECONDS = envint("DOSEWISE_AUDIT_SEAL_SECONDS", 5)
AUDIT_SEAL_MARGIN_SECONDS = envint("DOSEWISE_AUDIT_SEAL_MARGIN_SECONDS", 30)
AUDIT_KEY = envstr("DOSEWISE_AUDIT_KEY")
AUDIT_KEY_FILE = str(DATA_DIR / "audit_key")
AUDIT_CHECKPOINT_SECONDS = envint("DOSEWISE_AUDIT_CHECKPOINT_SECONDS", 10)
AUDIT_CHECKPOINT_FILE = envstr("DOSEWISE_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl"))
AUDIT_CHECKPOINT_URL = envstr("DOSEWISE_AUDIT_CHECKPOINT_URL")
# Outbox and outreach (docs/decisions/0041, 0042): a claim older than this is a crashed worker's;
# DKIM signs every e-mail when a private key (PEM, or DKIM_PRIVATE_KEY_FILE) is set; the public
# request form at /request-consultation/ serves the clinic with this slug (empty: the first clinic).
OUTBOX_STALE_CLAIM_SECONDS = envint("OUTBOX_STALE_CLAIM_SECONDS", 600)
DKIM_PRIVATE_KEY = envstr("DKIM_PRIVATE_KEY")
DKIM_SELECTOR = envstr("DKIM_SELECTOR", "dosewise")
DKIM_DOMAIN = envstr("DKIM_DOMAIN")
if DKIM_PRIVATE_KEY and not DKIM_DOMAIN:
    raise ImproperlyConfigured("DKIM_DOMAIN must be set with DKIM_PRIVATE_KEY (the domain of the From address)")
OUTREACH_CLINIC = envstr("OUTREACH_CLINIC")

LANGUAGE_CODE = "en-us"
# The patient portal speaks these (docs/decisions/0054); staff pages are in English.
LANGUAGES = [("en", "English"), ("es", "Español")]
# The installation's day: "today" in services and selectors is this zone's date, and it must be
# the clinics' own zone or a medicine started at 7 pm in Chicago would start "tomorrow" (UTC).
# New clinics default to the same zone. Times are stored in UTC either way. See decision 0012.
TIME_ZONE = envstr("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Served from the installed packages (finders) until `collectstatic` fills it in production.
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Measurement-based care: an urgent risk task not acknowledged within this many minutes goes
# to the clinic's on-call role; questionnaire links expire after these many hours.
RISK_ESCALATION_MINUTES = envint("RISK_ESCALATION_MINUTES", 30)
QUESTIONNAIRE_LINK_HOURS = envint("QUESTIONNAIRE_LINK_HOURS", 72)
PATIENT_MODE_LINK_MINUTES = envint("PATIENT_MODE_LINK_MINUTES", 60)

# Web push for the patient portal (docs/decisions/0053): the server's VAPID private key as a PEM
# (or WEB_PUSH_VAPID_PRIVATE_KEY_FILE). Outside production one is generated beside the data;
# in production push is not offered without it. The contact is sent to the push services.
WEB_PUSH_VAPID_PRIVATE_KEY = envstr("WEB_PUSH_VAPID_PRIVATE_KEY")
WEB_PUSH_CONTACT = envstr("WEB_PUSH_CONTACT", "mailto:" + DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip())
WEB_PUSH_TIMEOUT_SECONDS = envint("WEB_PUSH_TIMEOUT_SECONDS", 10)

# Faxing prescriptions: an e-mail-to-fax gateway address with {number} where the pharmacy's
# ten-digit fax number goes, e.g. {number}@fax.example.net. Empty: faxing is not offered.
DOSEWISE_FAX_EMAIL_GATEWAY = envstr("DOSEWISE_FAX_EMAIL_GATEWAY")
if DOSEWISE_FAX_EMAIL_GATEWAY and "{number}" not in DOSEWISE_FAX_EMAIL_GATEWAY:
    raise ImproperlyConfigured("DOSEWISE_FAX_EMAIL_GATEWAY must contain {number}, e.g. {number}@fax.example.net")
# An import's worker renews its lease with every batch it commits; a lease this many seconds old
# means the worker died, and the clock (or the next worker start) queues the import again.
IMPORT_LEASE_SECONDS = envint("IMPORT_LEASE_SECONDS", 120)
if IMPORT_LEASE_SECONDS < 1:
    raise ImproperlyConfigured("IMPORT_LEASE_SECONDS must be at least 1")
# Requests with an unknown questionnaire link allowed per address in 15 minutes.
QUESTIONNAIRE_BAD_LINK_LIMIT = envint("QUESTIONNAIRE_BAD_LINK_LIMIT", 30)

# Patient search answers at most this many rows; narrower queries find the rest.
PATIENT_SEARCH_LIMIT = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
