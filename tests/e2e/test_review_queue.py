"""The review queue in Chromium: a caseworker opens the queue, compares the two records
of one person side by side, merges them, sees the merged person and the cap breach,
and undoes the merge."""

from sqlalchemy import select

from rrms.services.accounts.users import actor_of
from rrms.services.identity.duplicates import find_duplicates
from rrms.storage.tables import User
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
