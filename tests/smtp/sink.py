"""An SMTP server for fullauth's tests: aiosmtpd on a free loopback port, every mail written as JSON.

Prints the port it listens on, then serves until its standard input closes (the test process ended).
Each accepted mail becomes <dir>/<sequence>.json with the envelope, the signed-in user, the headers and the
decoded text and HTML parts; each refused sign-in, <dir>/<sequence>.authfail with the login that was tried.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class JsonMaildir:
    def __init__(self, directory):
        self.directory = directory
        self.sequence = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "text" and not part.is_attachment():
                parts.setdefault(part.get_content_type(), part.get_content())
        record = {
            "envelope_from": envelope.mail_from,
            "envelope_to": envelope.rcpt_tos,
            "auth_user": session.auth_data.login.decode() if session.auth_data else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        self.sequence += 1
        name = os.path.join(self.directory, f"{self.sequence:06}.json")
        with open(name + ".tmp", "w", encoding="utf-8") as file:
            json.dump(record, file)
        os.replace(name + ".tmp", name)
        return "250 Message accepted for delivery"


def authenticator(directory, user, password):
    failures = 0

    def check(server, session, envelope, mechanism, auth_data):
        nonlocal failures
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=auth_data)
        failures += 1
        login = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else ""
        with open(os.path.join(directory, f"{failures:06}.authfail"), "w", encoding="utf-8") as file:
            file.write(login)
        return AuthResult(success=False, handled=False)
    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"), help="offer and require STARTTLS")
    parser.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"), help="TLS from the first byte")
    arguments = parser.parse_args()

    handler = JsonMaildir(arguments.dir)
    options = {}
    if arguments.user is not None:
        options = {
            "auth_required": True,
            "auth_require_tls": False,
            "authenticator": authenticator(arguments.dir, arguments.user, arguments.password or ""),
        }
    wrap = None
    if arguments.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*arguments.starttls)
        options.update({"tls_context": context, "require_starttls": True})
    if arguments.smtps:
        wrap = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        wrap.load_cert_chain(*arguments.smtps)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", **options), "127.0.0.1", 0, ssl=wrap
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    # Serve until the test process closes our standard input (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
