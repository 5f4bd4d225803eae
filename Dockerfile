# The portal's image: one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pango and fonts with Latvian glyphs for PDF documents
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Build steps run in production mode (the manifest static storage), with placeholders for the
# variables production demands: nothing connects to them here.
RUN DJANGO_ENV=production \
    SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    CELERY_BROKER_URL=redis://localhost:6379/0 ALLOWED_HOSTS=build DEMO_LOGIN_ENABLED=0 \
    OIDC_RP_CLIENT_ID=build OIDC_RP_CLIENT_SECRET=build \
    OIDC_OP_AUTHORIZATION_ENDPOINT=https://build/ OIDC_OP_TOKEN_ENDPOINT=https://build/ \
    OIDC_OP_USER_ENDPOINT=https://build/ OIDC_OP_JWKS_ENDPOINT=https://build/ \
    sh -c "python manage.py compile_catalogues && python manage.py collectstatic --noinput"

RUN useradd --system --uid 10001 --home-dir /app portal \
 && mkdir -p /app/media \
 && chown -R portal /app/media
USER portal

ENV DJANGO_ENV=production \
    MEDIA_ROOT=/app/media
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
