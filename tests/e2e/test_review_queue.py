"""The review queue in Chromium: a caseworker opens the queue, compares the two records
of one person side by side, merges them, sees the merged person and the cap breach,
and undoes the merge; and sees, beside a pair, another pair proposing the same record."""

from sqlalchemy import select

from conftest import screenshot
from rrms.services.accounts.users import actor_of
from rrms.services.core import records
from rrms.services.identity.duplicates import find_duplicates
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import DuplicatePair, User
from rrms.storage.unit_of_work import UnitOfWork
from support.duplicates import one_person_twice


def test_a_caseworker_merges_and_unmerges(server_factory, signed_in, base_url):
    with UnitOfWork(server_factory) as uow:
        users = {
            user.role: actor_of(user)
            for user in uow.session.scalars(
                select(User).where(User.role.in_(("caseworker", "programme_manager")))
            )
        }
    ids = one_person_twice(
        lambda: UnitOfWork(server_factory), users["caseworker"], users["programme_manager"]
    )
    with UnitOfWork(server_factory) as uow:
        pair = find_duplicates(uow, users["caseworker"]).queued[0]
    page = signed_in("caseworker")
    page.get_by_role("link", name="Duplicates").click()
    page.wait_for_url(f"{base_url}/duplicates")
    row = page.locator("#pairs tbody tr").filter(has_text="Džaferi Agim")
    assert "same after transliteration" in row.inner_text()
    row.get_by_role("link", name="Compare").click()
    page.wait_for_url(f"{base_url}/duplicates/{pair.id}")
    comparison = page.locator("#comparison").inner_text()
    assert "KS998877" in comparison and "P1234567" in comparison
    page.get_by_role("button", name=f"Merge, keeping Xhaferi Agim (#{ids['first']})").click()
    page.wait_for_url(f"{base_url}/duplicates/merges/*")
    assert "was merged into Xhaferi Agim" in page.locator("#merge-state").inner_text()
    assert "over the cap of 1,000.00 GBP" in page.get_by_role("alert").inner_text()
    merge_url = page.url
    page.get_by_role("link", name="Open the merged person").click()
    page.wait_for_url(f"{base_url}/persons/{ids['first']}")
    main = page.locator("main").inner_text()
    assert "600.00 GBP" in main and "800.00 GBP" in main
    page.goto(merge_url)
    page.get_by_role("button", name="Undo the merge").click()
    page.wait_for_url(f"{base_url}/duplicates/{pair.id}")
    assert page.locator("#pair-status").inner_text() == "open"
    page.goto(f"{base_url}/persons/{ids['second']}")
    assert "Džaferi Agim" in page.locator("h1").inner_text()


def test_a_caseworker_sees_a_namesake_proposed_with_the_same_record(
    server_factory, signed_in, base_url
):
    """One record proposed with two persons: the comparison names the other proposal,
    the caseworker follows it, rejects it, and comes back to a pair that stands alone."""
    with UnitOfWork(server_factory) as uow:
        worker = actor_of(uow.session.scalars(select(User).where(User.role == "caseworker")).one())
        besa = {"family_name": "Morina", "given_name": "Besa", "origin_municipality": "Pejë"}
        full, sparse, namesake = (
            records.create_record(uow, worker, PERSONS, {**besa, "person_ref": ref, **more})
            for ref, more in (
                ("NS-1", {"father_name": "Agim", "birth_date": "1984-03-02"}),
                ("NS-2", {}),
                ("NS-3", {"father_name": "Ilir", "birth_date": "1984-11-20"}),
            )
        )
        pairs = [
            DuplicatePair(
                left_person_id=min(left.id, right.id),
                right_person_id=max(left.id, right.id),
                probability=probability,
                evidence={
                    "family_name": "same",
                    "given_name": "same",
                    "origin_municipality": "same municipality",
                },
                model="kosovo-synthetic 3",
                found_by=worker.username,
            )
            for left, right, probability in ((full, sparse, 0.95), (sparse, namesake, 0.93))
        ]
        uow.session.add_all(pairs)
        uow.commit()
        pair_id, other_id, full_id = pairs[0].id, pairs[1].id, full.id
    page = signed_in("caseworker")
    page.goto(f"{base_url}/duplicates/{pair_id}")
    proposed = page.locator("#also-proposed li")
    assert proposed.count() == 1
    assert f"not proposed with #{full_id}" in proposed.inner_text()
    screenshot(page, "duplicates-compare")
    proposed.get_by_role("link").click()
    page.wait_for_url(f"{base_url}/duplicates/{other_id}")
    assert "Ilir" in page.locator("#comparison").inner_text()
    page.get_by_role("button", name="Not the same person").click()
    page.wait_for_url(f"{base_url}/duplicates")
    page.goto(f"{base_url}/duplicates/{pair_id}")
    assert page.locator("#also-proposed").count() == 0
