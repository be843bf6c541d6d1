"""Users, passwords and API tokens.

Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged in clear;
API tokens are random, shown once, and stored only as their SHA-256. The API, the web
pages and the command line all reach users through here: `USERS` for listing and
reading them, `actor_named` for acting as a named user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rrms.domain.accounts import check_password, normalise_username
from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_
from rrms.domain.vocabulary import ROLES
from rrms.services.accounts import throttle
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Invalid, NotAuthenticated, NotFound
from rrms.services.core.records import RecordKind
from rrms.storage.tables import User
from rrms.storage.unit_of_work import UnitOfWork

_hasher = PasswordHasher()
TOKEN_LIFETIME = dt.timedelta(hours=12)
_DUMMY_HASH = _hasher.hash("a password nobody has, to keep timing even")

USERS: RecordKind[User] = RecordKind(entity="users", table=User, filterable=("role", "active"))
"""Users as records: listing and reading go through the same authorised, audited path."""


def canonical_username(username: str) -> str:
    """The stored form of a user name (NFKC, case-folded), or `Invalid` naming it."""
    try:
        return normalise_username(username)
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None


def _check_password_rules(password: str, username: str) -> None:
    try:
        check_password(password, username)
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None


def _lookup_name(username: str) -> str | None:
    """The canonical form to look a sign-in name up by; None if no user can have it."""
    try:
        return normalise_username(username)
    except RuleBroken:
        return None


def add_user(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    language: str = "en",
) -> User:
    """Create a user with an Argon2 password hash; only administrators may."""
    authorize(actor, "users", "write")
    if role not in ROLES:
        raise Invalid(
            N_("unknown role {role!r}; roles: {roles}", role=role, roles=", ".join(ROLES)), "role"
        )
    username = canonical_username(username)
    _check_password_rules(password, username)
    if uow.accounts.user_named(username) is not None:
        raise Conflict(N_("the username {username!r} is taken", username=username))
    user = uow.accounts.add_user(
        username=username,
        full_name=full_name,
        role=role,
        language=language,
        password_hash=_hasher.hash(password),
    )
    audit.record(
        uow,
        actor,
        "create",
        "users",
        user.id,
        after={"username": username, "role": role, "full_name": full_name},
    )
    uow.commit()
    return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> User:
    """The active user with these credentials, or `NotAuthenticated` (same message either way)."""
    name = _lookup_name(username)
    user = uow.accounts.active_user_named(name) if name is not None else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise NotAuthenticated(N_("wrong username or password"))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        uow.commit()
    return user


def actor_of(user: User) -> Actor:
    """The service-layer identity of a user."""
    return Actor(user_id=user.id, username=user.username, role=user.role)


def actor_named(uow: UnitOfWork, username: str) -> Actor | None:
    """The actor of the active user with this name; None if there is none (or inactive).

    For the command line, which runs on the server and so may act for a named user
    without their password (see `rrms.cli.admin`): the caller says what it refuses.
    """
    name = _lookup_name(username)
    user = uow.accounts.active_user_named(name) if name is not None else None
    return actor_of(user) if user is not None else None


def issue_token(uow: UnitOfWork, username: str, password: str, address: str | None = None) -> str:
    """Sign in: check the password and return a new bearer token (shown only now).

    Throttled (`rrms.services.accounts.throttle`) per account and per client `address`:
    `TooManyAttempts` (429) once either is over its limit, even for the right password.
    """
    account = _lookup_name(username) or username.casefold()
    throttle.before_sign_in(account, address)
    try:
        user = authenticate(uow, username, password)
    except NotAuthenticated:
        throttle.failed_sign_in(account)
        raise
    token = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    uow.accounts.add_token(
        user_id=user.id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_at=now,
        expires_at=now + TOKEN_LIFETIME,
    )
    audit.record(uow, actor_of(user), "sign_in", "users", user.id)
    uow.commit()
    return token


def revoke_token(uow: UnitOfWork, token: str) -> None:
    """End a session: the token stops working at once, not when it would expire (a
    shared office computer must not keep the last user signed in after sign-out)."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = uow.accounts.token(digest)
    if row is None or row.revoked:
        return
    row.revoked = True
    user = uow.accounts.user(row.user_id)
    if user is not None:
        audit.record(uow, actor_of(user), "sign_out", "users", user.id)
    uow.commit()


def actor_for_token(uow: UnitOfWork, token: str) -> Actor:
    """The actor a bearer token stands for, or `NotAuthenticated`."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = uow.accounts.live_token(digest)
    if row is None:
        raise NotAuthenticated(N_("invalid or revoked token"))
    api_token, user = row
    expires = api_token.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    if expires < dt.datetime.now(dt.UTC):
        raise NotAuthenticated(N_("the token has expired; sign in again"))
    return actor_of(user)


def active_actor(uow: UnitOfWork, username: str) -> Actor | None:
    """The actor of the active user of that name, for a command run `--as` them."""
    name = _lookup_name(username)
    user = uow.accounts.active_user_named(name) if name is not None else None
    return actor_of(user) if user is not None else None


# --- the account's life: role, deactivation, password, tokens ---------------------------


def user_by_name(uow: UnitOfWork, actor: Actor, username: str) -> User:
    """The user with this name, active or not (administrators only), or `NotFound`."""
    authorize(actor, "users", "write")
    name = _lookup_name(username)
    user = uow.accounts.user_named(name) if name is not None else None
    if user is None:
        raise NotFound(N_("no user named {username!r}", username=username))
    return user


def _user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.accounts.user(user_id)
    if user is None:
        raise NotFound(N_("no user {user_id}", user_id=user_id))
    return user


def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    role: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's role or deactivate (or reactivate) them; administrators only.

    Deactivating revokes every token of the user, so they are signed out at once
    everywhere. An administrator cannot deactivate or demote themselves (so that an
    installation is not left without one by a slip).
    """
    authorize(actor, "users", "write")
    user = _user(uow, user_id)
    if role is not None and role not in ROLES:
        raise Invalid(
            N_("unknown role {role!r}; roles: {roles}", role=role, roles=", ".join(ROLES)), "role"
        )
    if user.id == actor.user_id and (active is False or (role and role != user.role)):
        raise Conflict(N_("administrators cannot deactivate or demote themselves"))
    before = {"role": user.role, "active": user.active}
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
        if not active:
            uow.accounts.revoke_tokens_of(user.id)
    after = {"role": user.role, "active": user.active}
    if after != before:
        action = "deactivate" if before["active"] and not user.active else "update"
        audit.record(uow, actor, action, "users", user.id, before=before, after=after)
    uow.commit()
    return user


def set_password(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    new_password: str,
    current_password: str | None = None,
) -> None:
    """Change a password, under the password policy, and sign the user out everywhere.

    Users change their own by giving the current one (`Invalid` naming
    `current_password` if wrong); administrators (and the command line) set anyone's.
    """
    own = user_id == actor.user_id and current_password is not None
    if not own:
        authorize(actor, "users", "write")
    user = _user(uow, user_id)
    if current_password is not None and own:
        try:
            _hasher.verify(user.password_hash, current_password)
        except (VerificationError, InvalidHashError):
            raise Invalid(N_("the current password is wrong"), "current_password") from None
    _check_password_rules(new_password, user.username)
    user.password_hash = _hasher.hash(new_password)
    uow.accounts.revoke_tokens_of(user.id)
    audit.record(uow, actor, "change_password", "users", user.id)
    uow.commit()


def change_own_password(uow: UnitOfWork, actor: Actor, current: str, new: str) -> None:
    """The signed-in user changes their own password, giving the current one."""
    if actor.user_id is None:
        raise NotAuthenticated(N_("sign in first"))
    set_password(uow, actor, actor.user_id, new, current_password=current)


def revoke_tokens(uow: UnitOfWork, actor: Actor, user_id: int) -> int:
    """Revoke every token of a user (administrators only); how many were live."""
    authorize(actor, "users", "write")
    user = _user(uow, user_id)
    count = uow.accounts.revoke_tokens_of(user.id)
    audit.record(uow, actor, "revoke_tokens", "users", user.id, after={"revoked": count})
    uow.commit()
    return count
