"""The Python library's side of the server comparison: fastapi-fullauth 0.18 as its getting-started page sets it
up (SQLModel on SQLite, role models declared), with the per-client rate limits off as they are for fullauth.

BENCH_DATABASE_URL (sqlite+aiosqlite:///...) and BENCH_SECRET_KEY are read; uvicorn serves `app:app`.
"""

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import Relationship, SQLModel

from fastapi_fullauth import FullAuth, FullAuthConfig
from fastapi_fullauth.adapters import SQLModelAdapter
from fastapi_fullauth.models.sqlmodel import (
    RefreshTokenMixin,
    RoleMixin,
    UserMixin,
    UserRoleMixin,
)


class RefreshToken(RefreshTokenMixin, table=True):
    pass


class Role(RoleMixin, table=True):
    pass


class UserRole(UserRoleMixin, table=True):
    pass


class User(UserMixin, table=True):
    roles: list[Role] = Relationship(link_model=UserRole)
    refresh_tokens: list[RefreshToken] = Relationship()


engine = create_async_engine(os.environ["BENCH_DATABASE_URL"])
session_maker = async_sessionmaker(engine, expire_on_commit=False)

fullauth = FullAuth(
    adapter=SQLModelAdapter(
        session_maker=session_maker,
        user_model=User,
        refresh_token_model=RefreshToken,
        role_model=Role,
        user_role_model=UserRole,
    ),
    config=FullAuthConfig(
        SECRET_KEY=os.environ["BENCH_SECRET_KEY"],
        AUTH_RATE_LIMIT_ENABLED=False,
    ),
)


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)
fullauth.init_app(app)
