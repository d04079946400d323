"""fastapi-fullauth 0.18 set up as its getting-started page does (SQLModel, a user with a display name and a phone
number, roles and permissions, a second factor when FULLAUTH_MFA_ENABLED is set and passkeys when
FULLAUTH_PASSKEY_ENABLED is), the Python side of the differential tests.

Read from the environment: DIFF_DATABASE_URL (an SQLAlchemy async URL), DIFF_COOKIES (1: the cookie backend beside
the bearer one) and every FULLAUTH_* setting, which the library reads itself. Two routes exist for the tests only,
the same two the Rust side of the comparison mounts: GET /_test/mail?email=&kind=verify|reset answers the last token
mailed to that address, and POST /_test/superuser {"email"} makes that user a superuser.
"""

import os
from contextlib import asynccontextmanager

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
    PasskeyMixin,
    PermissionMixin,
    RefreshTokenMixin,
    RoleMixin,
    RolePermissionMixin,
    UserMixin,
    UserRoleMixin,
)
from fastapi_fullauth.types import CreateUserSchema, UserSchema


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
        user_schema=MyUserSchema,
        create_user_schema=MyCreateUserSchema,
    ),
    config=config,
    backends=backends,
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
