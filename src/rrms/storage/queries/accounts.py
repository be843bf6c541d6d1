"""Users and API tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from rrms.storage.queries.base import Queries
from rrms.storage.tables import ApiToken, User


class AccountQueries(Queries):
    """Users and API tokens."""

    def user(self, user_id: int) -> User | None:
        """The user with this id, if any."""
        return self.session.get(User, user_id)

    def user_named(self, username: str) -> User | None:
        """The user with this username, active or not (usernames are never reused)."""
        return self.session.scalar(select(User).where(User.username == username))

    def active_user_named(self, username: str) -> User | None:
        """The active user with this username, if any."""
        return self.session.scalar(select(User).where(User.username == username, User.active))

    def add_user(
        self, username: str, full_name: str, role: str, language: str, password_hash: str
    ) -> User:
        """Insert a user now, so that it has its id."""
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            language=language,
            password_hash=password_hash,
        )
        self.session.add(user)
        self.session.flush()
        return user

    def add_token(
        self, user_id: int, token_hash: str, created_at: dt.datetime, expires_at: dt.datetime
    ) -> None:
        """Record a bearer token by its hash (inserted at the next flush)."""
        self.session.add(
            ApiToken(
                user_id=user_id,
                token_hash=token_hash,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def token(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, revoked or not."""
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def live_token(self, token_hash: str) -> tuple[ApiToken, User] | None:
        """The token with this hash and its user, unless it is revoked or the user is
        no longer active (its expiry is the caller's to check)."""
        row = self.session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_hash, ApiToken.revoked.is_(False), User.active)
        ).first()
        return None if row is None else (row[0], row[1])

    def revoke_tokens_of(self, user_id: int) -> int:
        """Revoke every live token of a user at once; how many were live."""
        result = self.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
            .values(revoked=True)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
