"""What every page promises: security headers, CSRF, clear error pages, a health check."""

import pytest

from tests.conftest import make_test_app


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/staff/sign-in", "/no-such-page", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_httponly_and_lax(client, db_session):
    from tests.factories import PASSWORD, make_employee

    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    response = client.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_post_without_the_csrf_token_is_refused(sqlite_url, tmp_path):
    app = make_test_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client(reads_csrf=False).post("/staff/sign-in", data={"email": "a@b.example", "password": "x"})
    assert response.status_code == 400
    assert "The form had expired or was sent from another site" in response.get_data(as_text=True)


def test_the_sign_in_form_carries_a_csrf_token_that_works(sqlite_url, tmp_path):
    import re

    app = make_test_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/staff/sign-in").get_data(
        as_text=True)).group(1)
    response = client.post("/staff/sign-in", data={"email": "a@b.example", "password": "x", "csrf_token": token})
    assert response.status_code == 422  # the form was accepted and checked; the password was wrong


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (400, "Something in that request was not right"),
        (403, "You cannot see this page"),
        (404, "Page not found"),
        (405, "That action is not available here"),
        (413, "What you sent is too large"),
        (429, "Too many attempts"),
        (500, "Sorry, something went wrong on our side"),
    ],
)
def test_each_error_page_says_what_happened_and_what_to_do(app, client, code, title):
    from flask import abort

    def fail():
        if code == 500:
            raise RuntimeError("a bug")
        abort(code)

    app.add_url_rule(f"/test/fail/{code}", f"fail_{code}", fail)
    response = client.get(f"/test/fail/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert title in page
    assert "home page" in page.lower()
    assert "Traceback" not in page and "RuntimeError" not in page


def test_an_unknown_address_is_a_404_page(client):
    response = client.get("/cases/../../etc/passwd")
    assert response.status_code == 404


def test_the_wrong_method_is_a_405_page(client):
    response = client.delete("/staff/sign-in")
    assert response.status_code == 405 and "That action is not available here" in response.get_data(as_text=True)


def test_an_oversized_request_is_a_413_page(sqlite_url, tmp_path):
    app = make_test_app(sqlite_url, tmp_path, MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/staff/sign-in", data={"email": "a@b.example", "password": "x" * 5000})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_an_over_long_field_is_a_clear_message_not_a_500(client):
    response = client.post("/staff/sign-in", data={"email": "a" * 5000 + "@x.example", "password": "pw"})
    assert response.status_code == 422
    assert "254 characters" in response.get_data(as_text=True)


def test_a_malformed_form_is_handled(client):
    response = client.post(
        "/staff/sign-in", data=b"\xff\xfe%%%=&&=", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 422)


def test_too_many_sign_in_attempts_get_a_429_page_saying_when_to_retry(sqlite_url, tmp_path):
    app = make_test_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/staff/sign-in", data={"email": "a@b.example", "password": "x"}).status_code
                for _ in range(31)]
    assert statuses[:30] == [422] * 30 and statuses[30] == 429
    page = client.post("/staff/sign-in", data={"email": "a@b.example", "password": "x"})
    assert "Try again in" in page.get_data(as_text=True)
    assert page.headers["Retry-After"]


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_is_unavailable(tmp_path):
    app = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error" and response.json["database"] == "unavailable"


def test_the_home_page_names_the_organisation_and_has_landmarks(client):
    page = client.get("/").get_data(as_text=True)
    assert "Riverside Rovers FC" in page
    assert 'href="#main"' in page and "<main" in page and "<header" in page and "<footer" in page
    assert page.count("<h1") == 1
    assert "<script" not in page.split("</head>")[0] or 'src="/static/' in page


def test_a_page_whose_form_would_be_refused_for_want_of_a_csrf_token_fails_the_test_that_renders_it(client):
    # The guard that would have caught "Did this help?" answering 400 to every visitor in production.
    from tests.browserlike import post_forms

    client.last_forms = post_forms('<form method="post" action="/staff/sign-in"></form>', "http://localhost/page")
    with pytest.raises(AssertionError, match="posting to http://localhost/staff/sign-in has no CSRF token"):
        client._check_forms_carry_tokens("http://localhost/page")
    client.last_forms = post_forms('<form method="post" action="/webhooks/sendgrid/events"></form>', "http://localhost/")
    client._check_forms_carry_tokens("http://localhost/page")  # exempt: SendGrid signs its requests instead
