#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the labelled corpus for no-secrets (run it from this folder):

  positives.log   one credential a line, every kind of queries/no-secrets.yaml
                  in several shapes: a JSON field, inside an escaped JSON
                  string, behind a kubectl/fly prefix, a plain-text line
  negatives.log   near misses that must not count: redacted values,
                  documentation examples, ids and hashes, the words in prose,
                  dotted strings that look like JWTs, numbers that fail Luhn
  labels.tsv      file, line, label (the kind, or "none"), shape, note
  plain-text.log  the plain-text positives alone (one per kind), for the
                  golden case that pins what logq does with them today

Every value is made up here: random strings drawn with a fixed seed to the
shape of gitleaks' rules (config/gitleaks.toml, see gitleaks-rules.toml),
or the public test numbers and documentation examples the vendors publish
(Visa/Mastercard/Amex test cards, AWS's AKIAIOSFODNN7EXAMPLE, Slack's
T00000000/B00000000/XXXX...). None is a real credential."""
import base64, json, random

rng = random.Random(16)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
HEX = "0123456789abcdef"
DIGITS = "0123456789"


def rand(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt(claims):
    return "%s.%s.%s" % (b64url({"alg": "HS256", "typ": "JWT"}),
                         b64url(claims), rand(ALNUM + "-_", 43))


def dump(o):
    return json.dumps(o, separators=(",", ":"))


TS = "2026-04-25T03:01:%02d.000Z"
n_line = [0]


def rec(msg, **fields):
    n_line[0] += 1
    o = {"ts": TS % (n_line[0] % 60), "level": "info", "msg": msg}
    o.update(fields)
    return dump(o)


def escaped(msg, inner):
    """inner (a dict) serialised into a string field: quotes become \\"."""
    return rec(msg, body=dump(inner))


def kubectl(line):
    return "[pod/api-7d9f8c6b5-x2k4q/api] " + line


def fly(line):
    return ("2026-04-25T03:01:53Z app[148e4d55f36278] iad [info] " + line)


def text(s):
    return "2026-04-25 03:01:53,120 INFO app: " + s


pem_body = rand(ALNUM + "+/", 64)
rsa = ("-----BEGIN RSA PRIVATE KEY-----\n%s\n%s\n-----END RSA PRIVATE KEY-----"
       % (pem_body, rand(ALNUM + "+/", 40)))
pkcs8 = ("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----"
         % rand(ALNUM + "+/", 64))
openssh = ("-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE "
           "KEY-----" % rand(ALNUM + "+/", 70))
ec = ("-----BEGIN EC PRIVATE KEY----- %s -----END EC PRIVATE KEY-----"
      % rand(ALNUM + "+/", 64))
sa = {"type": "service_account", "project_id": "attesto-prod",
      "private_key_id": rand(HEX, 40), "client_email":
      "ci@attesto-prod.iam.gserviceaccount.com"}
aws = ["AKIA" + rand(UPPER32, 16) for _ in range(4)] + ["ASIA" +
                                                         rand(UPPER32, 16)]
ghp = "ghp_" + rand(ALNUM, 36)
gho = "gho_" + rand(ALNUM, 36)
ghs = "ghs_" + rand(ALNUM, 36)
gpat = "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)
xoxb = "xoxb-%s-%s-%s" % (rand(DIGITS, 12), rand(DIGITS, 13), rand(ALNUM, 24))
xoxp = "xoxp-%s-%s-%s-%s" % (rand(DIGITS, 11), rand(DIGITS, 12),
                             rand(DIGITS, 12), rand(HEX, 32))
hook = "https://hooks.slack.com/services/T%s/B%s/%s" % (
    rand(UPPER32, 8), rand(UPPER32, 10), rand(ALNUM, 24))
oa_proj = "sk-proj-%sT3BlbkFJ%s" % (rand(ALNUM + "_-", 58),
                                    rand(ALNUM + "_-", 58))
oa_svc = "sk-svcacct-%sT3BlbkFJ%s" % (rand(ALNUM + "_-", 58),
                                      rand(ALNUM + "_-", 58))
oa_old = "sk-%sT3BlbkFJ%s" % (rand(ALNUM, 20), rand(ALNUM, 20))
gkey = ["AIza" + rand(ALNUM + "_-", 35) for _ in range(5)]
jwts = [jwt({"sub": "user-%d" % i, "iat": 1777086113 + i,
             "scope": "orders:write"}) for i in range(5)]
opaque = rand(ALNUM, 40)
basic = [base64.b64encode(s.encode()).decode() for s in
         ["ci-bot:%s" % rand(ALNUM, 16), "admin:%s" % rand(ALNUM, 12),
          "svc-export:%s" % rand(ALNUM, 20), "grafana:%s" % rand(ALNUM, 14),
          "deploy:%s" % rand(ALNUM, 18)]]
pw = [rand(ALNUM, 14) + "!", "Tr0ub4dor&" + rand(DIGITS, 3),
      rand(ALNUM, 10), rand(ALNUM, 18), rand(ALNUM, 12)]

# kind -> [(shape, line, note)]
POS = {
    "private_keys": [
        ("field", rec("loaded key", key=rsa), "RSA PEM in a field"),
        ("field", rec("loaded key", key=pkcs8), "PKCS#8 PEM"),
        ("escaped", escaped("vault reply", {"data": {"key": openssh}}),
         "OpenSSH key in escaped JSON"),
        ("prefixed", kubectl(rec("tls setup", tls_key=ec)),
         "EC key behind a kubectl prefix"),
        ("text", text("loading key " + ec), "one-line EC PEM, plain text"),
    ],
    "service_account_keys": [
        ("escaped", rec("gcp credentials", creds=dump(sa)),
         "service-account JSON in a string"),
        ("field", rec("gcp credentials", **sa), "service-account fields"),
        ("escaped", escaped("secret manager", {"credentials": dump(sa)}),
         "doubly escaped"),
        ("prefixed", fly(rec("gcp credentials", creds=dump(sa))),
         "behind a fly prefix"),
        ("text", text('GOOGLE_CREDENTIALS={"type": "service_account", '
                      '"private_key_id": "%s"}' % rand(HEX, 40)),
         "env dump, plain text"),
    ],
    "bearer_tokens": [
        ("field", rec("upstream call", authorization="Bearer " + opaque),
         "opaque bearer token"),
        ("field", rec("upstream call", headers={"Authorization": "Bearer "
                                                + rand(ALNUM + "-._~", 48)}),
         "nested headers"),
        ("escaped", escaped("request dump", {"headers": {
            "authorization": "bearer " + rand(ALNUM, 32)}}),
         "lower-case bearer, escaped"),
        ("prefixed", kubectl(rec("proxy", auth="Bearer " + rand(ALNUM, 36))),
         "kubectl prefix"),
        ("text", text("GET /v1/orders Authorization: Bearer "
                      + rand(ALNUM, 40)), "plain-text header"),
    ],
    "api_keys": [
        ("field", rec("stripe client", key="sk_live_" + rand(ALNUM, 24)),
         "sk_live_"),
        ("field", rec("stripe client", key="rk_live_" + rand(ALNUM, 24)),
         "restricted rk_live_"),
        ("escaped", escaped("config", {"stripe": {"secret_key": "sk_live_"
                                                  + rand(ALNUM, 32)}}),
         "escaped"),
        ("prefixed", fly(rec("stripe client", key="sk_prod_" +
                             rand(ALNUM, 24))), "sk_prod_, fly prefix"),
        ("text", text("stripe.api_key=sk_live_" + rand(ALNUM, 24)),
         "plain text"),
    ],
    "aws_key_ids": [
        ("field", rec("s3 client", access_key=aws[0]), "AKIA"),
        ("field", rec("sts", access_key_id=aws[4]), "ASIA session key"),
        ("escaped", escaped("boto config", {"aws_access_key_id": aws[1]}),
         "escaped"),
        ("prefixed", kubectl(rec("s3 client", key=aws[2])), "kubectl prefix"),
        ("text", text("using AWS_ACCESS_KEY_ID=" + aws[3]), "plain text"),
    ],
    "webhook_secrets": [
        ("field", rec("webhook verify", secret="whsec_" + rand(ALNUM, 32)),
         "whsec_"),
        ("field", rec("config", webhook_secret=rand(ALNUM, 24)),
         "webhook_secret field"),
        ("escaped", escaped("config", {"webhookSecret": rand(ALNUM, 20)}),
         "webhookSecret, escaped"),
        ("prefixed", kubectl(rec("webhook verify", signing="whsec_" +
                                 rand(ALNUM, 32))), "kubectl prefix"),
        ("text", text("STRIPE_WEBHOOK_SECRET=whsec_" + rand(ALNUM, 32)),
         "plain text"),
    ],
    "github_tokens": [
        ("field", rec("git clone", token=ghp), "ghp_ classic PAT"),
        ("field", rec("git clone", token=gpat), "github_pat_ fine-grained"),
        ("escaped", escaped("actions env", {"GITHUB_TOKEN": ghs}),
         "ghs_ app token, escaped"),
        ("prefixed", fly(rec("oauth", access_token=gho)), "gho_, fly prefix"),
        ("text", text("remote: https://x-access-token:%s@github.com/a/b"
                      % ("ghs_" + rand(ALNUM, 36))), "token in a URL, text"),
    ],
    "slack_tokens": [
        ("field", rec("slack client", token=xoxb), "xoxb- bot token"),
        ("field", rec("slack client", token=xoxp), "xoxp- user token"),
        ("escaped", escaped("notifier", {"webhook_url": hook}),
         "webhook URL, escaped"),
        ("prefixed", kubectl(rec("notifier", url=hook.replace(
            "services", "workflows"))), "workflows URL, kubectl prefix"),
        ("text", text("SLACK_BOT_TOKEN=xoxb-%s-%s-%s" % (
            rand(DIGITS, 12), rand(DIGITS, 13), rand(ALNUM, 24))),
         "plain text"),
    ],
    "openai_keys": [
        ("field", rec("llm client", api_key=oa_proj), "sk-proj-"),
        ("field", rec("llm client", api_key=oa_svc), "sk-svcacct-"),
        ("escaped", escaped("env", {"OPENAI_API_KEY": oa_old}),
         "legacy sk-, escaped"),
        ("prefixed", fly(rec("llm client", key="sk-proj-%sT3BlbkFJ%s" % (
            rand(ALNUM, 74), rand(ALNUM, 74)))), "sk-proj- 74, fly prefix"),
        ("text", text("OPENAI_API_KEY=sk-%sT3BlbkFJ%s" % (rand(ALNUM, 20),
                                                         rand(ALNUM, 20))),
         "plain text"),
    ],
    "google_api_keys": [
        ("field", rec("maps client", key=gkey[0]), "AIza field"),
        ("field", rec("geocode", url="https://maps.googleapis.com/maps/api/"
                      "geocode/json?address=x&key=" + gkey[1]),
         "key in a URL"),
        ("escaped", escaped("firebase config", {"apiKey": gkey[2]}),
         "escaped"),
        ("prefixed", kubectl(rec("maps client", key=gkey[3])),
         "kubectl prefix"),
        ("text", text("GOOGLE_API_KEY=" + gkey[4]), "plain text"),
    ],
    "jwts": [
        ("field", rec("session", token=jwts[0]), "JWT field"),
        ("field", rec("callback", url="/cb?id_token=" + jwts[1]),
         "JWT in a URL"),
        ("escaped", escaped("auth reply", {"access_token": jwts[2]}),
         "escaped"),
        ("prefixed", fly(rec("session", jwt=jwts[3])), "fly prefix"),
        ("text", text("issued token " + jwts[4]), "plain text"),
    ],
    "passwords": [
        ("field", rec("db connect", password=pw[0]), '"password" field'),
        ("field", rec("db connect", dsn="postgres://app:%s@db:5432/app"
                      % pw[1].replace("&", "")), "password in a URL"),
        ("escaped", escaped("user create", {"user": "bob",
                                            "new_password": pw[2]}),
         "new_password, escaped"),
        ("prefixed", kubectl(rec("login", path="/login?user=bob&password="
                                 + pw[3])), "password= in a query string"),
        ("text", text("login attempt user=bob password=" + pw[4]),
         "plain text"),
    ],
    "basic_auth": [
        ("field", rec("upstream call", authorization="Basic " + basic[0]),
         "Basic field"),
        ("field", rec("request", headers={"Authorization": "Basic "
                                          + basic[1]}), "nested header"),
        ("escaped", escaped("request dump", {"headers": {
            "authorization": "Basic " + basic[2]}}), "escaped"),
        ("prefixed", fly(rec("python-requests", msg2="{'Authorization': "
                             "'Basic %s'}" % basic[3])),
         "python dict repr, fly prefix"),
        ("text", text("Authorization: Basic " + basic[4]), "plain text"),
    ],
    "card_numbers": [
        ("field", rec("Charge request received.", request={"creditCard": {
            "creditCardNumber": "4111-1111-1111-1111", "creditCardCvv": 123}}),
         "pino-like creditCardNumber with CVV"),
        ("field", rec("payment", card_number="5555555555554444"),
         "card_number"),
        ("escaped", escaped("gateway request", {"pan": "378282246310005",
                                                "cvv": "1234"}),
         "Amex pan with cvv, escaped"),
        ("prefixed", kubectl(rec("checkout", payment={
            "number": "6011 1111 1111 1117", "cvc": "123"})),
         "number beside a cvc, kubectl prefix"),
        ("text", text("charging card 4012 8888 8888 1881 cvv 123"),
         "plain text"),
    ],
}

NEG = {
    "redacted": [
        rec("stripe client", key="sk_live_****"),
        rec("stripe client", key="sk_live_" + "*" * 24),
        rec("db connect", password="[REDACTED]"),
        rec("db connect", password="***"),
        rec("db connect", password="<redacted>"),
        rec("db connect", password="********"),
        rec("config", webhook_secret="********"),
        rec("config", webhook_secret="[REDACTED]"),
        rec("upstream call", authorization="Bearer [REDACTED]"),
        rec("upstream call", authorization="Bearer " + "x" * 32),
        rec("upstream call", authorization="Basic ****"),
        rec("git clone", token="ghp_****"),
        rec("slack client", token="xoxb-***"),
        rec("payment", card_number="**** **** **** 4242"),
        rec("db connect", dsn="postgres://app:****@db:5432/app"),
        escaped("user create", {"user": "bob", "password": "[FILTERED]"}),
        rec("llm client", api_key="sk-proj-...redacted"),
        rec("loaded key", key="-----BEGIN PRIVATE KEY-----\n[REDACTED]\n"
            "-----END PRIVATE KEY-----"),
    ],
    "documentation example": [
        rec("s3 client", access_key="AKIAIOSFODNN7EXAMPLE"),
        rec("s3 client", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        rec("notifier", webhook_url="https://hooks.slack.com/services/"
            "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        rec("login", example="curl -u user:password https://api.example.com"),
        rec("docs", hint="set OPENAI_API_KEY=sk-... before running"),
    ],
    "id or hash": [
        rec("request", request_id="550e8400-e29b-41d4-a716-446655440000"),
        rec("request", trace_id="c759f29f5f1e2162be56f32dd1e77fce",
            span_id="17c4a60ca4297cf1"),
        rec("upload", sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822"
            "cd15d6c15b0f00a08"),
        rec("upload", md5="5d41402abc4b2a76b9719d911017c592"),
        rec("deploy", commit="2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
        rec("deploy", image="ghcr.io/acme/api@sha256:e3b0c44298fc1c149afbf4c8"
            "996fb92427ae41e4649b934ca495991b7852b855"),
        rec("request", tenant_id="tenant_8f3a9c2e1b7d4f60"),
        rec("request", id="01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        rec("session", session_id="s_" + rand(HEX, 32)),
        rec("request", request_id=str(rng.getrandbits(122))),
        rec("gcp", private_key_id="3f2a9c0d"),
        rec("cache", key="user:42:profile:v3"),
        rec("idempotency", idempotency_key="order-7781-retry-2"),
        rec("request", csrf_token_len=32),
    ],
    "prose": [
        rec("secret rotated", name="stripe-webhook"),
        rec("password reset email sent", user="bob"),
        rec("invalid password for user bob", status=401),
        rec("rejected: missing Bearer token", status=401),
        rec("basic authentication required", status=401),
        rec("private key loaded from /etc/keys/app.pem"),
        rec("no -----BEGIN PRIVATE KEY----- block found in input"),
        rec("token expired", kind="access_token"),
        rec("card declined", reason="insufficient_funds"),
        rec("cvv check failed", card_brand="visa", card_last4="4242"),
        rec("the secret to fast builds is caching"),
        rec("api key missing; set STRIPE_KEY"),
        rec("user changed password", password_changed=True),
        rec("password policy", password_min_length=12),
        rec("webhook secret not configured"),
        rec("auth", scheme="Basic", realm="api"),
    ],
    "JWT-like dotted": [
        rec("session", token="eyJhbGciOiJIUzI1NiJ9.eyJzdWIi..."),
        rec("session", token=jwts[0].rsplit(".", 1)[0] + "."),
        rec("startup", version="1.24.3-rc.1+build.77"),
        rec("filter", cls="com.example.auth.JwtTokenFilter"),
        rec("dns", host="api.eu-west-1.internal.example.com"),
        rec("metric", name="http.server.request.duration.seconds"),
    ],
    "number": [
        rec("order placed", order_id="1234567890123456"),
        rec("order placed", order_id="4111111111111112"),
        rec("order placed", order_number=9876543210987654),
        rec("event", time_ns=1777086113123456789),
        rec("event", ts_ms=1745532517537),
        rec("call", phone="+1 415 555 0100"),
        rec("payment", card_id="card_1NqLq2eZvKYlo2Cq"),
        rec("payment", card_last4="4242", card_exp="08/29"),
        rec("payment", cardId="5500000000000001"),
        rec("payment", amount_cents=1999, cvv_checked=True),
        rec("shipment", tracking="1Z999AA10123456784"),
        rec("payment", iban="DE89370400440532013000"),
    ],
    "other key or value": [
        rec("user", password_hash="$2b$12$" + rand(ALNUM + "./", 53)),
        rec("oauth", client_id="client_" + rand(ALNUM, 24)),
        rec("stripe client", key="pk_live_" + rand(ALNUM, 24)),
        rec("stripe client", key="sk_test_" + rand(ALNUM, 24)),
        rec("url", link="https://bob@example.com/profile"),
        rec("pem", cert="-----BEGIN CERTIFICATE-----\n" + rand(ALNUM, 64)
            + "\n-----END CERTIFICATE-----"),
        rec("ssh", public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
            + rand(ALNUM, 40) + " ci@build"),
        rec("slack", channel="C0123456789", team="T0123456789"),
        rec("google", project="attesto-prod", client="AIza..."),
        rec("env", PATH="/usr/local/bin:/usr/bin:/bin"),
    ],
}


def main():
    labels = ["file\tline\tlabel\tshape\tnote"]
    with open("positives.log", "w") as f:
        n = 0
        for kind, items in POS.items():
            for shape, line, note in items:
                n += 1
                f.write(line + "\n")
                labels.append("positives.log\t%d\t%s\t%s\t%s"
                              % (n, kind, shape, note))
    with open("negatives.log", "w") as f:
        n = 0
        for cat, lines in NEG.items():
            for line in lines:
                n += 1
                f.write(line + "\n")
                labels.append("negatives.log\t%d\tnone\tfield\t%s"
                              % (n, cat))
    with open("plain-text.log", "w") as f:
        for kind, items in POS.items():
            f.write("".join(line + "\n" for shape, line, note in items
                            if shape == "text"))
    with open("labels.tsv", "w") as f:
        f.write("\n".join(labels) + "\n")


main()
