"""fastapi-fullauth 0.18 set up as its getting-started page does (SQLModel, a user with a display name and a phone
number, roles and permissions, a second factor when FULLAUTH_MFA_ENABLED is set, passkeys when
FULLAUTH_PASSKEY_ENABLED is, and the tests' OpenID provider when DIFF_OIDC_ISSUER is), the Python side of the
differential tests.

Read from the environment: DIFF_DATABASE_URL (an SQLAlchemy async URL), DIFF_COOKIES (1: the cookie backend beside
the bearer one), DIFF_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URIS (comma-separated), and every
FULLAUTH_* setting, which the library reads itself. Two routes exist for the tests only,
the same two the Rust side of the comparison mounts: GET /_test/mail?email=&kind=verify|reset answers the last token
mailed to that address, and POST /_test/superuser {"email"} makes that user a superuser.
"""

import os
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import Field, Relationship, SQLModel

from fastapi_fullauth import FullAuth, FullAuthConfig
from fastapi_fullauth.adapters import SQLModelAdapter
from fastapi_fullauth.backends import BearerBackend, CookieBackend
from fastapi_fullauth.models.sqlmodel import (
    MFAMixin,
    OAuthAccountMixin,
    PasskeyMixin,
    PermissionMixin,
    RefreshTokenMixin,
    RoleMixin,
    RolePermissionMixin,
    UserMixin,
    UserRoleMixin,
)
from fastapi_fullauth.oauth.base import StandardOAuthProvider
from fastapi_fullauth.types import CreateUserSchema, OAuthUserInfo, UserSchema


class RefreshToken(RefreshTokenMixin, table=True):
    pass


class Role(RoleMixin, table=True):
    pass


class UserRole(UserRoleMixin, table=True):
    pass


class Permission(PermissionMixin, table=True):
    pass


class RolePermission(RolePermissionMixin, table=True):
    pass


class MFA(MFAMixin, table=True):
    pass


class Passkey(PasskeyMixin, table=True):
    pass


class OAuthAccount(OAuthAccountMixin, table=True):
    pass


class LocalProvider(StandardOAuthProvider):
    """The OpenID provider of the tests (DIFF_OIDC_ISSUER), read through its userinfo endpoint."""

    name = "local"
    display_name = "Local"

    def __init__(self, issuer: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.authorization_endpoint = f"{issuer}/auth"
        self.token_endpoint = f"{issuer}/token"
        self.userinfo_endpoint = f"{issuer}/me"

    @property
    def default_scopes(self) -> list[str]:
        return ["openid", "email", "profile"]

    async def parse_user_info(self, data: dict[str, Any], headers: dict[str, str]) -> OAuthUserInfo:
        if not data.get("sub"):
            raise self._invalid_user_info("sub")
        return OAuthUserInfo(
            provider="local",
            provider_user_id=data["sub"],
            email=data.get("email"),
            email_verified=data.get("email_verified", False),
            raw=data,
        )


class User(UserMixin, table=True):
    display_name: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=20)
    roles: list[Role] = Relationship(link_model=UserRole)
    refresh_tokens: list[RefreshToken] = Relationship()


class MyUserSchema(UserSchema):
    display_name: str = ""
    phone: str = ""
    roles: list[str] = []


class MyCreateUserSchema(CreateUserSchema):
    display_name: str = ""
    phone: str = ""


engine = create_async_engine(os.environ["DIFF_DATABASE_URL"])
session_maker = async_sessionmaker(engine, expire_on_commit=False)
config = FullAuthConfig()
backends = [BearerBackend()]
if os.environ.get("DIFF_COOKIES") == "1":
    backends.append(CookieBackend(config, secure=False))

providers = []
if os.environ.get("DIFF_OIDC_ISSUER"):
    providers.append(
        LocalProvider(
            os.environ["DIFF_OIDC_ISSUER"],
            client_id=os.environ["DIFF_OIDC_CLIENT_ID"],
            client_secret=os.environ["DIFF_OIDC_CLIENT_SECRET"],
            redirect_uris=os.environ["DIFF_OIDC_REDIRECT_URIS"].split(","),
        )
    )

fullauth = FullAuth(
    adapter=SQLModelAdapter(
        session_maker=session_maker,
        user_model=User,
        refresh_token_model=RefreshToken,
        role_model=Role,
        user_role_model=UserRole,
        permission_model=Permission,
        role_permission_model=RolePermission,
        mfa_model=MFA,
        passkey_model=Passkey,
        oauth_account_model=OAuthAccount,
        user_schema=MyUserSchema,
        create_user_schema=MyCreateUserSchema,
    ),
    config=config,
    backends=backends,
    providers=providers,
)

mailed: dict[tuple[str, str], str] = {}


async def remember_verification(email: str, token: str) -> None:
    mailed[(email, "verify")] = token


async def remember_reset(email: str, token: str) -> None:
    mailed[(email, "reset")] = token


fullauth.hooks.on("send_verification_email", remember_verification)
fullauth.hooks.on("send_password_reset_email", remember_reset)


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)
fullauth.init_app(app)


class SuperuserRequest(BaseModel):
    email: str


@app.get("/_test/mail")
async def last_mail(email: str, kind: str) -> dict[str, str]:
    token = mailed.get((email, kind))
    if token is None:
        raise HTTPException(status_code=404, detail="No mail")
    return {"token": token}


@app.post("/_test/superuser")
async def make_superuser(body: SuperuserRequest) -> dict[str, str]:
    async with session_maker() as session:
        await session.execute(update(User).where(User.email == body.email).values(is_superuser=True))
        await session.commit()
    return {"detail": "ok"}
