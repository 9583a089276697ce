# The image is the static binary alone: no shell, no libc, no package manager to patch.
# Build it with `just image` (which runs `just dist` first): the context must hold dist/upstate
# (musl, the web app inside), dist/ca-certificates.crt and the empty dist/data.
FROM scratch
COPY dist/upstate /upstate
# For HTTPS: webhooks, integrations, monitors and SMTP verify their peers against these.
COPY dist/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# The data directory (the SQLite database and the generated JWT secret), owned by the user below.
COPY --chown=65532:65532 dist/data /data
ENV UPSTATE_BIND=0.0.0.0:8080 \
    UPSTATE_DATA_DIR=/data \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["/upstate", "healthcheck"]
ENTRYPOINT ["/upstate"]
CMD ["serve"]
