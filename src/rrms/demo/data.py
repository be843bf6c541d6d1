"""A realistic, synthetic demo data set matching IOM Kosovo's bulletin of November 2004.

A new user should see a full bulletin at once, and the bulletin they see should be
the one donors read in November 2004: 472 AVR returnees in August–October 2004 (441
by plane, 31 by land; 310 from Germany, 52 from the Netherlands, 46 from the United
Kingdom, 22 from Belgium, 16 from Croatia), 187,739 returnees since 12 June 1999
(Prishtinë 37.6 %, Ferizaj 14.9 %, Pejë 13.1 %, Gjakovë 8.9 %), secondary transport
for 478 in the quarter and 9,613 to date, and each programme's projects, houses,
information requests, trainings and confidential cases as the bulletin reports them
(:data:`PUBLISHED`). Everything else (names, dates within a month, municipalities
within a district) is drawn from a seeded random generator, so the same seed always
gives the same rows.

The generator is pure: it returns rows as dictionaries, with programme codes and
person references instead of database ids; `rrms.demo.loader` writes them.
Persons are invented from common names; nothing here describes a real person.

``history_scale`` shrinks the arrivals before the quarter (tests use a few
thousand rows instead of 187,739); the quarter itself is always complete.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rrms.reference.places import gazetteer

__all__ = [
    "FIRST_ARRIVAL",
    "PERIOD_FROM",
    "PERIOD_TO",
    "PUBLISHED",
    "DemoData",
    "generate",
    "spread",
]

PERIOD_FROM = dt.date(2004, 8, 1)
PERIOD_TO = dt.date(2004, 10, 31)
FIRST_ARRIVAL = dt.date(1999, 6, 12)

PUBLISHED: Mapping[str, Any] = {
    "avr_returns": 472,
    "avr_by_plane": 441,
    "avr_by_land": 31,
    "avr_countries": {"DE": 310, "NL": 52, "GB": 46, "BE": 22, "HR": 16},
    "cumulative_returns": 187_739,
    "district_shares": {"PRI": 37.6, "FER": 14.9, "PEJ": 13.1, "GJA": 8.9},
    "secondary_period": 478,
    "secondary_cumulative": 9_613,
    "smr_completed": 35,
    "smr_ongoing": 13,
    "smr_direct": 106,
    "smr_indirect": 372,
    "smr_jobs_returnees": 56,
    "smr_jobs_residents": 50,
    "rsmc_ongoing": 110,
    "rsmc_approved_in_period": 44,
    "rsmc_direct": 273,
    "rsmc_indirect": 742,
    "varrp_completed": 35,
    "varrp_ongoing": 10,
    "varrp_direct": 67,
    "varrp_indirect": 302,
    "varrp_jobs": 67,
    "houses_finished": 17,
    "houses_under_reconstruction": 20,
    "houses_handed_over": 14,
    "sedmin_projects": 384,
    "sedmin_amount_eur": Decimal("1611672.00"),
    "sedmin_in_period": 27,
    "sedmin_trainings_to_date": 87,
    "sedmin_participants_to_date": 820,
    "sedmin_trainings_in_period": 8,
    "sedmin_participants_in_period": 39,
    "csp_projects": 322,
    "avr_vc_requests_answered": 11,
    "avr_vd_requests": 14,
    "ct_foreign_victims": 404,
    "ct_foreign_victims_2004": 24,
    "ct_foreign_victims_period": 10,
}
"""Figures of the November 2004 bulletin that the demo data reproduces exactly."""

# The seven districts' shares of all returns to date (the bulletin gives the first
# four; the other three share the remaining 25.5 %, each below Gjakovë's 8.9 %).
DISTRICT_SHARES: Mapping[str, float] = {
    "PRI": 37.6,
    "FER": 14.9,
    "PEJ": 13.1,
    "GJA": 8.9,
    "PRZ": 8.7,
    "MIT": 8.6,
    "GJI": 8.2,
}

# Where returnees settle within a district (rough 2004 population weights), by KAS code.
MUNICIPALITY_WEIGHTS: Mapping[str, float] = {
    "19": 40, "18": 18, "13": 12, "03": 11, "09": 7, "15": 6, "14": 6,
    "11": 40, "27": 25, "21": 25, "12": 4, "28": 3, "29": 3,
    "17": 50, "06": 25, "08": 25,
    "02": 55, "01": 25, "16": 20,
    "20": 50, "24": 20, "30": 18, "05": 12,
    "04": 45, "10": 25, "26": 30,
    "25": 65, "07": 15, "22": 12, "23": 8,
}  # fmt: skip

# Arrivals before the quarter, by year (1999 from 12 June; 2004 up to 31 July).
YEAR_WEIGHTS: Mapping[int, float] = {
    1999: 95_000,
    2000: 62_000,
    2001: 14_000,
    2002: 7_000,
    2003: 5_300,
    2004: 3_300,
}

LAND_COUNTRIES = frozenset({"MK", "AL", "ME", "RS", "BA", "HR", "SI"})

NAMES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "albanian": (
        ("Krasniqi", "Berisha", "Gashi", "Morina", "Hoxha", "Shala", "Bytyqi", "Kastrati",
         "Rexhepi", "Kelmendi", "Hajdari", "Thaçi", "Ahmeti", "Mustafa", "Sylejmani"),
        ("Arben", "Besnik", "Driton", "Fatmir", "Ilir", "Labinot", "Valon", "Agim", "Burim"),
        ("Arta", "Blerina", "Donika", "Fjolla", "Lirie", "Mimoza", "Shpresa", "Vjosa", "Teuta"),
    ),
    "serb": (
        ("Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić"),
        ("Dragan", "Milan", "Nenad", "Zoran", "Goran", "Dejan"),
        ("Jelena", "Milica", "Snežana", "Dragana", "Vesna", "Ivana"),
    ),
    "roma": (
        ("Berisha", "Mustafa", "Gashi", "Bajrami", "Krasniqi", "Salihu"),
        ("Bajram", "Sabit", "Nexhmedin", "Sami", "Avdi"),
        ("Sabina", "Nurije", "Fatime", "Hatixhe", "Merita"),
    ),
    "ashkali": (
        ("Ramadani", "Hasani", "Shabani", "Avdiu", "Demiri"),
        ("Ramiz", "Nazmi", "Bekim", "Selim", "Afrim"),
        ("Hava", "Shqipe", "Sadije", "Lumnije", "Remzije"),
    ),
    "egyptian": (
        ("Gashi", "Hajra", "Kryeziu", "Bajrami", "Kuqi"),
        ("Osman", "Xhevdet", "Ismet", "Hysen", "Fadil"),
        ("Mevlude", "Nexhmije", "Sanije", "Zade", "Xhemile"),
    ),
    "bosniak": (
        ("Hodžić", "Mehmedović", "Kurtović", "Begović", "Ramić"),
        ("Emir", "Senad", "Adnan", "Mirsad", "Edin"),
        ("Amela", "Selma", "Lejla", "Emina", "Sabina"),
    ),
    "gorani": (
        ("Dolova", "Hajdini", "Asani", "Brezna", "Rašiti"),
        ("Fikret", "Ilijaz", "Redžep", "Seljam", "Šaban"),
        ("Fata", "Ajša", "Fikrija", "Hava", "Nurija"),
    ),
}  # fmt: skip


@dataclass
class DemoData:
    """The generated rows of every table, ready for `rrms.demo.loader` to write."""

    persons: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    housing: list[dict[str, Any]] = field(default_factory=list)
    information_requests: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    confidential_cases: list[dict[str, Any]] = field(default_factory=list)

    def programme_codes(self) -> set[str]:
        """The programme codes the rows refer to."""
        codes: set[str] = set()
        for rows in (
            self.returns,
            self.projects,
            self.housing,
            self.information_requests,
            self.trainings,
            self.confidential_cases,
        ):
            codes.update(row["programme"] for row in rows if row.get("programme"))
        return codes


def spread(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` exactly (largest remainders get the rest)."""
    whole = sum(weights.values())
    if total == 0 or whole == 0:
        return dict.fromkeys(weights, 0)
    exact = {key: total * weight / whole for key, weight in weights.items()}
    result = {key: int(value) for key, value in exact.items()}
    short = total - sum(result.values())
    for key in sorted(exact, key=lambda k: (result[k] - exact[k], k))[:short]:
        result[key] += 1
    return result


def _split_list(total: int, weights: Sequence[float]) -> list[int]:
    parts = spread(total, {str(i): w for i, w in enumerate(weights)})
    return [parts[str(i)] for i in range(len(weights))]


class _Generator:
    """The state of one generation: the random source and running references."""

    def __init__(self, seed: int, history_scale: float) -> None:
        self.random = random.Random(seed)
        self.scale = history_scale
        self.data = DemoData()
        self.places = gazetteer()
        self.district_of = {
            m.kas_code: self.places.district_of(m).code for m in self.places.municipalities
        }
        self._movement = 0

    # --- persons and arrivals -------------------------------------------------------

    def person(self, community: str, origin: str | None = None) -> str:
        family_names, men, women = NAMES.get(community, NAMES["albanian"])
        sex = self.random.choice("mf")
        ref = f"DEMO-P{len(self.data.persons) + 1:06d}"
        birth_year = self.random.randint(1935, 2003)
        self.data.persons.append(
            {
                "person_ref": ref,
                "family_name": self.random.choice(family_names),
                "given_name": self.random.choice(men if sex == "m" else women),
                "sex": sex,
                "birth_year": birth_year,
                "birth_date": str(birth_year),
                "community": community,
                # A returnee goes home: the destination is their municipality of origin.
                "origin_municipality": origin,
            }
        )
        return ref

    def municipality_in(self, district: str) -> str:
        codes = [code for code, d in self.district_of.items() if d == district]
        return self.random.choices(codes, [MUNICIPALITY_WEIGHTS[c] for c in codes])[0]

    def arrival(
        self,
        *,
        day: dt.date,
        country: str,
        programme: str | None,
        return_type: str,
        mode: str,
        municipality: str,
        community: str,
        secondary: bool | None,
        vulnerable: bool | None = None,
    ) -> None:
        self._movement += 1
        self.data.returns.append(
            {
                "movement_ref": f"DEMO-M{self._movement:07d}",
                "person_ref": self.person(community, origin=municipality),
                "return_type": return_type,
                "programme": programme,
                "sending_country": country,
                "transport_mode": mode,
                "arrival_date": day,
                "arrival_point": "Pristina Airport" if mode == "air" else "Border crossing",
                "destination_municipality": municipality,
                "secondary_transport": secondary,
                "vulnerable": vulnerable,
            }
        )

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.random.randint(0, (end - start).days))

    def quarter(self) -> dict[str, int]:
        """The arrivals of August–October 2004, exactly as the bulletin counts them."""
        blocks: list[dict[str, Any]] = [
            {
                "programme": "AVR",
                "countries": {"DE": 310, "NL": 52, "GB": 46, "BE": 22, "HR": 16, "AT": 7,
                              "SE": 6, "NO": 5, "DK": 4, "FR": 2, "IT": 2},
                "land": {"HR": 16, "AT": 7, "DE": 8},
                "secondary": 440,
                "type": "voluntary",
            },
            {"programme": "SMR", "countries": {"CH": 26}, "secondary": 25, "type": "voluntary",
             "communities": ("roma", "ashkali", "egyptian", "bosniak", "gorani")},
            {"programme": "AVR-VC", "countries": {"CH": 9}, "secondary": 9, "type": "voluntary",
             "vulnerable": True},
            {"programme": "AVR-VD", "countries": {"CH": 4}, "secondary": 4, "type": "voluntary"},
            {"programme": "IDP-PEJA", "countries": {"RS": 22}, "land": {"RS": 22},
             "secondary": 0, "type": "voluntary", "municipality": "17",
             "communities": ("serb",)},
            {"programme": "KHRP", "countries": {"DE": 401, "CH": 96, "SE": 38, "NO": 25,
                                                "AT": 22, "BE": 14, "NL": 10, "DK": 6},
             "secondary": 0, "type": "forced"},
        ]  # fmt: skip
        by_district: dict[str, int] = dict.fromkeys(DISTRICT_SHARES, 0)
        for block in blocks:
            arrivals: list[tuple[str, str]] = []
            for country, count in block["countries"].items():
                land = block.get("land", {}).get(country, 0)
                arrivals += [(country, "land")] * land + [(country, "air")] * (count - land)
            self.random.shuffle(arrivals)
            secondary = set(self.random.sample(range(len(arrivals)), block["secondary"]))
            communities = block.get("communities", ("albanian",))
            for index, (country, mode) in enumerate(arrivals):
                if "municipality" in block:
                    municipality = block["municipality"]
                else:
                    district = self.random.choices(
                        list(DISTRICT_SHARES), list(DISTRICT_SHARES.values())
                    )[0]
                    municipality = self.municipality_in(district)
                by_district[self.district_of[municipality]] += 1
                self.arrival(
                    day=self.day_between(PERIOD_FROM, PERIOD_TO),
                    country=country,
                    programme=block["programme"],
                    return_type=block["type"],
                    mode=mode,
                    municipality=municipality,
                    community=self.random.choice(communities),
                    secondary=(index in secondary) if block["secondary"] else None,
                    vulnerable=block.get("vulnerable"),
                )
        return by_district

    def history(self, quarter_by_district: Mapping[str, int]) -> None:
        """Every arrival from 12 June 1999 to 31 July 2004, filling each district's share."""
        targets = spread(PUBLISHED["cumulative_returns"], DISTRICT_SHARES)
        before = {
            d: max(round((targets[d] - quarter_by_district[d]) * self.scale), 0) for d in targets
        }
        total = sum(before.values())
        secondary_left = round(
            (PUBLISHED["secondary_cumulative"] - PUBLISHED["secondary_period"]) * self.scale
        )
        districts = [d for d, n in before.items() for _ in range(n)]
        self.random.shuffle(districts)
        years = _split_list(total, list(YEAR_WEIGHTS.values()))
        days: list[dt.date] = []
        for year, count in zip(YEAR_WEIGHTS, years, strict=True):
            start = FIRST_ARRIVAL if year == 1999 else dt.date(year, 1, 1)
            end = dt.date(2004, 7, 31) if year == 2004 else dt.date(year, 12, 31)
            days += [self.day_between(start, end) for _ in range(count)]
        if days:
            days[0] = FIRST_ARRIVAL
        days.sort()
        special = self._special_history(total)
        # secondary transport went to the voluntary returnees of the later years
        eligible = [i for i, day in enumerate(days) if day.year >= 2001]
        secondary = set(self.random.sample(eligible, min(secondary_left, len(eligible))))
        for index, (day, district) in enumerate(zip(days, districts, strict=True)):
            programme, return_type, country, community = special.get(index) or self._usual(day)
            mode = "land" if country in LAND_COUNTRIES else "air"
            self.arrival(
                day=day,
                country=country,
                programme=programme,
                return_type=return_type,
                mode=mode,
                municipality=self.municipality_in(district),
                community=community,
                secondary=True if index in secondary else (None if day.year < 2001 else False),
            )

    def _special_history(self, total: int) -> dict[int, tuple[str, str, str, str]]:
        """Earlier SMR (incl. Liechtenstein) and AVR-VC returnees, among the latest arrivals."""
        wanted = [
            ("SMR", "CH", round(180 * self.scale)),
            ("SMR", "LI", round(11 * self.scale)),
            ("AVR-VC", "CH", round(6 * self.scale)),
        ]
        needed = sum(count for _, _, count in wanted)
        late = list(range(total - min(total, max(total // 12, needed)), total))
        picks = iter(self.random.sample(late, needed))
        minorities = ("roma", "ashkali", "egyptian", "bosniak", "gorani")
        chosen: dict[int, tuple[str, str, str, str]] = {}
        for programme, country, count in wanted:
            for _ in range(count):
                community = "albanian" if programme == "AVR-VC" else self.random.choice(minorities)
                chosen[next(picks)] = (programme, "voluntary", country, community)
        return chosen

    def _usual(self, day: dt.date) -> tuple[str, str, str, str]:
        community = self.random.choices(
            ("albanian", "roma", "ashkali", "egyptian", "bosniak", "gorani", "serb"),
            (90, 2, 2, 1.5, 2, 1, 1.5),
        )[0]
        if day.year == 1999:
            country = self.random.choices(
                ("MK", "AL", "DE", "CH", "AT", "SE", "NO", "TR"), (45, 20, 18, 6, 4, 3, 2, 2)
            )[0]
            return ("KHRP", "voluntary", country, community)
        country = self.random.choices(
            ("DE", "CH", "SE", "NO", "AT", "NL", "GB", "BE", "DK", "FR", "IT", "FI", "HR"),
            (55, 15, 6, 4, 5, 4, 3, 3, 2, 1, 1, 0.5, 0.5),
        )[0]
        if day.year == 2000:
            return ("KHRP", "voluntary", country, community)
        if self.random.random() < 0.3:
            return ("KHRP", "forced", country, community)
        return ("AVR", "voluntary", country, community)

    # --- programmes -------------------------------------------------------------------

    def project(self, programme: str, **values: Any) -> None:
        row: dict[str, Any] = {
            "programme": programme,
            "name": values.pop("name", f"{programme} project {len(self.data.projects) + 1}"),
            "scope": "individual",
            "direct_beneficiaries": 0,
            "indirect_beneficiaries": 0,
            "jobs_returnees": 0,
            "jobs_residents": 0,
            "grant_amount": None,
            "grant_currency": None,
            "loan_amount": None,
            "loan_currency": None,
            "started_on": None,
            "completed_on": None,
            "settlement": None,
        }
        row.update(values)
        self.data.projects.append(row)

    def dated(self, status: str, start: dt.date, end: dt.date) -> dict[str, Any]:
        """Approval, start and completion dates for a project with `status` on PERIOD_TO."""
        approved = self.day_between(start, end)
        started = approved + dt.timedelta(days=self.random.randint(7, 40))
        values: dict[str, Any] = {"status": status, "approved_on": approved}
        if status in ("ongoing", "completed"):
            values["started_on"] = min(started, PERIOD_TO)
        if status == "completed":
            values["completed_on"] = min(
                values["started_on"] + dt.timedelta(days=self.random.randint(60, 240)), PERIOD_TO
            )
        return values

    def smr(self) -> None:
        """SMR: 35 completed projects (106 direct, 372 indirect, 56 + 50 jobs), 13 ongoing."""
        completed, ongoing = PUBLISHED["smr_completed"], PUBLISHED["smr_ongoing"]
        direct = _split_list(PUBLISHED["smr_direct"], [1 + (i % 5 == 0) for i in range(completed)])
        indirect = _split_list(
            PUBLISHED["smr_indirect"], [self.random.uniform(1, 3) for _ in range(completed)]
        )
        returnees = _split_list(PUBLISHED["smr_jobs_returnees"], [d for d in direct])
        residents = [d - r for d, r in zip(direct, returnees, strict=True)]
        sectors = ("production", "services", "trade", "agriculture", "construction")
        minorities = ("roma", "ashkali", "egyptian", "bosniak", "gorani", "albanian")
        for i in range(completed + ongoing):
            done = i < completed
            self.project(
                "SMR",
                sector=sectors[i % len(sectors)],
                scope="community" if i % 7 == 3 else "individual",
                municipality=self.random.choice(("20", "05", "02", "19", "17")),
                beneficiary_community=minorities[i % len(minorities)],
                direct_beneficiaries=direct[i] if done else 0,
                indirect_beneficiaries=indirect[i] if done else 0,
                jobs_returnees=returnees[i] if done else 0,
                jobs_residents=residents[i] if done else 0,
                grant_amount=Decimal(self.random.randrange(2_000, 8_000, 50)),
                grant_currency="CHF",
                **self.dated(
                    "completed" if done else "ongoing",
                    dt.date(2001, 3, 1) if done else dt.date(2004, 4, 1),
                    dt.date(2004, 3, 31) if done else dt.date(2004, 10, 15),
                ),
            )

    def rsmc(self) -> None:
        """RSMC: 110 ongoing grant projects, 44 of them approved in the quarter."""
        areas = [("13", "Magurë", 49, 18), ("20", "Zhupa Valley", 61, 26)]
        total = PUBLISHED["rsmc_ongoing"]
        direct = _split_list(
            PUBLISHED["rsmc_direct"], [self.random.uniform(1, 4) for _ in range(total)]
        )
        indirect = _split_list(
            PUBLISHED["rsmc_indirect"], [self.random.uniform(3, 11) for _ in range(total)]
        )
        communities = {"13": ("roma", "ashkali", "serb"), "20": ("bosniak", "gorani", "serb")}
        sectors = ("agriculture", "agriculture", "production", "services", "trade")
        i = 0
        for municipality, settlement, count, in_period in areas:
            for n in range(count):
                recent = n < in_period
                self.project(
                    "RSMC",
                    sector=sectors[i % len(sectors)],
                    scope="community" if i % 9 == 4 else "individual",
                    municipality=municipality,
                    settlement=settlement,
                    beneficiary_community=communities[municipality][i % 3],
                    direct_beneficiaries=direct[i],
                    indirect_beneficiaries=indirect[i],
                    jobs_returnees=1 if i % 2 == 0 else 0,
                    jobs_residents=1 if i % 3 == 0 else 0,
                    grant_amount=Decimal(self.random.randrange(1_500, 5_000, 100)),
                    grant_currency="EUR",
                    **self.dated(
                        "ongoing",
                        PERIOD_FROM if recent else dt.date(2004, 3, 1),
                        dt.date(2004, 10, 10) if recent else dt.date(2004, 7, 31),
                    ),
                )
                i += 1

    def varrp(self) -> None:
        """VARRP: 45 projects (35 completed, 10 ongoing), 67 direct, 302 indirect, 67 jobs."""
        sectors = ["employment_referral"] * 17 + ["construction"] * 7 + ["services"] * 19
        sectors += ["agriculture"] * 2
        count = len(sectors)
        direct = _split_list(PUBLISHED["varrp_direct"], [1 + (i % 3 == 0) for i in range(count)])
        indirect = _split_list(
            PUBLISHED["varrp_indirect"], [self.random.uniform(2, 12) for _ in range(count)]
        )
        self.random.shuffle(sectors)
        for i, sector in enumerate(sectors):
            done = i < PUBLISHED["varrp_completed"]
            self.project(
                "VARRP",
                sector=sector,
                municipality=self.random.choice(("02", "19", "17", "20", "25", "11")),
                beneficiary_community="albanian",
                direct_beneficiaries=direct[i],
                indirect_beneficiaries=indirect[i],
                jobs_returnees=direct[i],
                grant_amount=Decimal(self.random.randrange(400, 1_000, 25)),
                grant_currency="GBP",
                **self.dated(
                    "completed" if done else "ongoing",
                    dt.date(2003, 1, 15) if done else dt.date(2004, 6, 1),
                    dt.date(2004, 5, 31) if done else dt.date(2004, 10, 20),
                ),
            )

    def csp(self) -> None:
        """CSP: 322 individual and community projects since 2002 (wine in Velika Hoča)."""
        communities = ("serb", "roma", "bosniak", "egyptian", "ashkali", "gorani", "turk")
        sectors = ("agriculture", "production", "services", "trade", "infrastructure")
        total = PUBLISHED["csp_projects"]
        for i in range(total):
            status = "completed" if i < total - 40 else "ongoing"
            self.project(
                "CSP",
                name="Wine association, Hoça e Madhe" if i == 0 else f"CSP project {i + 1}",
                sector=sectors[i % len(sectors)],
                scope="community" if i % 4 == 0 else "individual",
                municipality="16" if i < 30 else self.random.choice(("11", "14", "23", "05", "04")),
                settlement="Hoça e Madhe" if i < 4 else None,
                beneficiary_community=communities[i % len(communities)],
                direct_beneficiaries=self.random.randint(1, 7),
                indirect_beneficiaries=self.random.randint(2, 20),
                jobs_returnees=0,
                jobs_residents=self.random.randint(1, 3),
                grant_amount=Decimal(self.random.randrange(1_000, 6_000, 100)),
                grant_currency="EUR",
                **self.dated(status, dt.date(2002, 4, 1), dt.date(2004, 10, 25)),
            )

    def sedmin(self) -> None:
        """SEDMIN: 384 projects, 1,611,672 EUR; 27 in the quarter (25 grant/loan, 2 loans)."""
        total = PUBLISHED["sedmin_projects"]
        in_period = PUBLISHED["sedmin_in_period"]
        earlier = total - in_period
        sectors = ["agriculture"] * 128 + ["production"] * 95 + ["services"] * 146 + ["trade"] * 15
        self.random.shuffle(sectors)
        combos = _split_list(7_831_000, [self.random.uniform(0.5, 1.5) for _ in range(25)])
        loans = _split_list(1_682_000, [1, 1])
        rest_cents = int(PUBLISHED["sedmin_amount_eur"] * 100) - 7_831_000 - 1_682_000
        earlier_cents = _split_list(
            rest_cents, [self.random.uniform(0.5, 1.5) for _ in range(earlier)]
        )
        for i in range(total):
            communities = ("serb", "bosniak", "gorani", "roma", "turk")
            values: dict[str, Any] = {
                "sector": sectors[i],
                "municipality": self.random.choice(
                    ("12", "28", "29", "11", "14", "23", "05", "04")
                ),
                "beneficiary_community": communities[i % len(communities)],
                "direct_beneficiaries": self.random.randint(1, 4),
                "indirect_beneficiaries": self.random.randint(2, 8),
                "jobs_residents": self.random.randint(1, 3),
            }
            if i < earlier:
                cents = earlier_cents[i]
                grant = cents * 6 // 10
                values |= {
                    "grant_amount": Decimal(grant) / 100,
                    "grant_currency": "EUR",
                    "loan_amount": Decimal(cents - grant) / 100,
                    "loan_currency": "EUR",
                    **self.dated(
                        "completed" if i < earlier - 60 else "ongoing",
                        dt.date(2001, 9, 1),
                        dt.date(2004, 7, 31),
                    ),
                }
            elif i < earlier + 25:
                cents = combos[i - earlier]
                grant = cents // 2
                values |= {
                    "grant_amount": Decimal(grant) / 100,
                    "grant_currency": "EUR",
                    "loan_amount": Decimal(cents - grant) / 100,
                    "loan_currency": "EUR",
                    **self.dated("approved", PERIOD_FROM, dt.date(2004, 10, 29)),
                }
            else:
                values |= {
                    "loan_amount": Decimal(loans[i - earlier - 25]) / 100,
                    "loan_currency": "EUR",
                    **self.dated("approved", PERIOD_FROM, dt.date(2004, 10, 29)),
                }
            self.project("SEDMIN", **values)
        # trainings of the Business Service Centres: 87 sessions / 820 participants to date
        before_sessions = (
            PUBLISHED["sedmin_trainings_to_date"] - PUBLISHED["sedmin_trainings_in_period"]
        )
        before_people = (
            PUBLISHED["sedmin_participants_to_date"] - PUBLISHED["sedmin_participants_in_period"]
        )
        for people in _split_list(before_people, [1] * before_sessions):
            self.training(
                "SEDMIN",
                "Basic business skills",
                "Entrepreneurs",
                people,
                self.day_between(dt.date(2002, 3, 1), dt.date(2004, 7, 31)),
                "12",
            )
        sessions = PUBLISHED["sedmin_trainings_in_period"]
        for people in _split_list(PUBLISHED["sedmin_participants_in_period"], [1] * sessions):
            self.training(
                "SEDMIN",
                "English, market research and fieldwork",
                "Business associations",
                people,
                self.day_between(PERIOD_FROM, PERIOD_TO),
                "14",
            )

    def avr_vd(self) -> None:
        """AVR-VD: 14 information requests from the Canton of Vaud; the first family's project."""
        topics = ["housing"] * 4 + ["medical_care"] * 3 + ["employment"] * 3 + ["documents"] * 2
        topics += ["education", "business"]
        for topic in topics:
            received = self.day_between(dt.date(2004, 9, 1), dt.date(2004, 10, 25))
            answered = received + dt.timedelta(days=self.random.randint(3, 15))
            self.request("AVR-VD", topic, received, answered if answered <= PERIOD_TO else None)
        self.project(
            "AVR-VD",
            name="Income generation for a returning family",
            sector="trade",
            municipality="19",
            beneficiary_community="albanian",
            direct_beneficiaries=1,
            indirect_beneficiaries=3,
            jobs_returnees=1,
            grant_amount=Decimal("3000.00"),
            grant_currency="CHF",
            **self.dated("approved", dt.date(2004, 10, 1), dt.date(2004, 10, 20)),
        )

    def avr_vc(self) -> None:
        """AVR-VC's RIF component: 11 requests answered in the quarter (medical, construction)."""
        topics = ["medical_care"] * 4 + ["medication"] * 3 + ["construction"] * 2
        topics += ["business", "housing"]
        for topic in topics:
            answered = self.day_between(PERIOD_FROM, PERIOD_TO)
            received = answered - dt.timedelta(days=self.random.randint(4, 25))
            self.request("AVR-VC", topic, received, answered)
        for _ in range(20):
            received = self.day_between(dt.date(2003, 9, 1), dt.date(2004, 6, 30))
            topic = self.random.choice(
                ("business", "housing", "transport", "ngo_contacts", "vulnerable_support")
            )
            self.request(
                "AVR-VC", topic, received, received + dt.timedelta(days=self.random.randint(5, 30))
            )
        self.request("AVR-VC", "medical_care", dt.date(2004, 10, 27), None)

    def housing(self) -> None:
        """IDP-PEJA: 17 houses finished (14 handed over), 20 under reconstruction."""
        villages = [("Brestovik", 8, 16), ("Sigë", 9, 4)]
        handed_over = PUBLISHED["houses_handed_over"]
        n = 0
        for village, finished, under in villages:
            for i in range(finished + under):
                n += 1
                started = self.day_between(dt.date(2004, 8, 2), dt.date(2004, 8, 31))
                row: dict[str, Any] = {
                    "programme": "IDP-PEJA",
                    "house_ref": f"DEMO-H{n:03d}",
                    "municipality": "17",
                    "village": village,
                    "beneficiaries": self.random.randint(2, 6),
                    "started_on": started,
                    "finished_on": None,
                    "handed_over_on": None,
                    "status": "under_reconstruction",
                }
                if i < finished:
                    row["finished_on"] = self.day_between(
                        dt.date(2004, 9, 20), dt.date(2004, 10, 10)
                    )
                    row["status"] = "finished"
                self.data.housing.append(row)
        finished_rows = [r for r in self.data.housing if r["status"] == "finished"]
        for row in finished_rows[:handed_over]:
            row["handed_over_on"] = row["finished_on"] + dt.timedelta(
                days=self.random.randint(5, 20)
            )
            row["handed_over_on"] = min(row["handed_over_on"], PERIOD_TO)
            row["status"] = "handed_over"
        for number in range(3):  # assessed in Ljevoša, work not started
            self.data.housing.append(
                {
                    "programme": "IDP-PEJA",
                    "house_ref": f"DEMO-H{101 + number:03d}",
                    "municipality": "17",
                    "village": "Ljevoša",
                    "beneficiaries": self.random.randint(2, 6),
                    "status": "assessed",
                    "started_on": None,
                    "finished_on": None,
                    "handed_over_on": None,
                }
            )

    def request(
        self, programme: str, topic: str, received: dt.date, answered: dt.date | None
    ) -> None:
        self.data.information_requests.append(
            {
                "programme": programme,
                "requesting_mission": "IOM Bern" if programme.startswith("AVR-V") else "IOM London",
                "topic": topic,
                "question": f"Request about {topic.replace('_', ' ')} in Kosovo.",
                "answer": "Answered with current information." if answered else None,
                "received_on": received,
                "answered_on": answered,
                "status": "answered" if answered else "open",
            }
        )

    def training(
        self,
        programme: str,
        topic: str,
        audience: str,
        participants: int,
        held: dt.date,
        municipality: str | None,
    ) -> None:
        self.data.trainings.append(
            {
                "programme": programme,
                "topic": topic,
                "audience": audience,
                "participants": participants,
                "hours": Decimal("12.0") if programme.startswith("CT") else Decimal("6.0"),
                "held_on": held,
                "municipality": municipality,
            }
        )

    def trainings(self) -> None:
        """Counter-trafficking, NGO and KPC trainings of the quarter."""
        self.training(
            "CT-CARDS",
            "Human trafficking for Anti-Organized Crime officers",
            "KPS officers",
            24,
            dt.date(2004, 8, 24),
            "19",
        )
        self.training(
            "CT-CARDS",
            "Human trafficking for Border Police officers",
            "KPS officers",
            27,
            dt.date(2004, 9, 21),
            "19",
        )
        self.training(
            "CT-SEE",
            "Skills Building Training for Anti-Trafficking Carers",
            "NGO and institution staff",
            26,
            dt.date(2004, 10, 12),
            "19",
        )
        self.training(
            "CT-WB",
            "Basic training in human trafficking",
            "DoJ Victim Advocates",
            18,
            dt.date(2004, 10, 19),
            "19",
        )
        self.training(
            "CT-SEE",
            "Human trafficking, referral system, psychosocial support",
            "NGO staff (8 NGOs)",
            19,
            dt.date(2004, 7, 14),
            "19",
        )
        self.training(
            "FSR-NGO",
            "Return and reintegration policies of IOM and the EU",
            "Partner NGOs (5)",
            15,
            dt.date(2004, 9, 15),
            "19",
        )
        self.training(
            "KPCT", "Instructor Training Course", "KPC instructors", 24, dt.date(2004, 8, 2), "19"
        )
        self.training(
            "KPCT",
            "Small Group Instructor Course",
            "KPC instructors",
            24,
            dt.date(2004, 8, 16),
            "19",
        )
        self.training(
            "KPCT",
            "Small Group Instructor Course (OCC)",
            "KPC officers",
            18,
            dt.date(2004, 9, 13),
            "19",
        )

    def confidential(self) -> None:
        """Counter-trafficking and medical cases: by year and district as the bulletin says."""
        foreign_by_year = {1999: 3, 2000: 57, 2001: 95, 2002: 110, 2003: 115}
        for year, count in foreign_by_year.items():
            for _ in range(count):
                start = dt.date(1999, 12, 1) if year == 1999 else dt.date(year, 1, 1)
                self.case(
                    "counter_trafficking",
                    "CT-WB",
                    "victim_assistance",
                    self.day_between(start, dt.date(year, 12, 31)),
                    "PRI",
                    "closed",
                )
        earlier_2004 = PUBLISHED["ct_foreign_victims_2004"] - PUBLISHED["ct_foreign_victims_period"]
        for _ in range(earlier_2004):
            self.case(
                "counter_trafficking",
                "CT-WB",
                "voluntary_return_of_victim",
                self.day_between(dt.date(2004, 1, 1), dt.date(2004, 7, 31)),
                "PRI",
                "closed",
            )
        for _ in range(PUBLISHED["ct_foreign_victims_period"]):
            self.case(
                "counter_trafficking",
                "CT-WB",
                "voluntary_return_of_victim",
                self.day_between(PERIOD_FROM, PERIOD_TO),
                "PRI",
                "assisted",
            )
        districts = list(DISTRICT_SHARES)
        for year, count in {2002: 12, 2003: 16, 2004: 14}.items():
            end = PERIOD_TO if year == 2004 else dt.date(year, 12, 31)
            for _ in range(count):
                self.case(
                    "counter_trafficking",
                    "CT-KVOT",
                    "reintegration_support",
                    self.day_between(dt.date(year, 1, 1), end),
                    self.random.choice(districts),
                    "assisted",
                )
        # medical: complex cases since June 1999 (412), Swedish team evacuations (51)
        for year, count in {1999: 60, 2000: 110, 2001: 90, 2002: 70, 2003: 55, 2004: 27}.items():
            start = dt.date(1999, 6, 15) if year == 1999 else dt.date(year, 1, 1)
            end = dt.date(2004, 7, 31) if year == 2004 else dt.date(year, 12, 31)
            for _ in range(count):
                self.case(
                    "medical",
                    "MH-CMC",
                    "complex_medical_case",
                    self.day_between(start, end),
                    self.random.choice(districts),
                    "closed",
                )
        for _ in range(2):
            self.case(
                "medical",
                "MH-CMC",
                "complex_medical_case",
                self.day_between(PERIOD_FROM, PERIOD_TO),
                self.random.choice(districts),
                "assisted",
            )
        for year, count in {2000: 10, 2001: 11, 2002: 10, 2003: 9, 2004: 11}.items():
            end = PERIOD_TO if year == 2004 else dt.date(year, 12, 31)
            for i in range(count):
                day = self.day_between(dt.date(year, 1, 1), end)
                if year == 2004 and i < 3:
                    day = self.day_between(PERIOD_FROM, PERIOD_TO)
                self.case(
                    "medical",
                    "MH-SMT",
                    "medical_transport",
                    day,
                    self.random.choice(districts),
                    "closed",
                )
        for _ in range(22):
            self.case(
                "medical",
                "MH-SMT",
                "swedish_medical_team_surgery",
                self.day_between(dt.date(2004, 9, 6), dt.date(2004, 9, 17)),
                "PRI",
                "closed",
            )

    def case(
        self, unit: str, programme: str, case_type: str, opened: dt.date, district: str, status: str
    ) -> None:
        self.data.confidential_cases.append(
            {
                "unit": unit,
                "programme": programme,
                "case_type": case_type,
                "opened_on": opened,
                "closed_on": opened + dt.timedelta(days=30) if status == "closed" else None,
                "status": status,
                "district": district,
                "summary": "",
            }
        )


def generate(seed: int = 2004, history_scale: float = 1.0) -> DemoData:
    """Generate the demo data set; the same arguments always give the same rows."""
    if not 0 <= history_scale <= 1:
        raise ValueError("history_scale is a fraction from 0 to 1")
    generator = _Generator(seed, history_scale)
    quarter = generator.quarter()
    generator.history(quarter)
    generator.smr()
    generator.rsmc()
    generator.varrp()
    generator.csp()
    generator.sedmin()
    generator.avr_vd()
    generator.avr_vc()
    generator.housing()
    generator.trainings()
    generator.confidential()
    return generator.data


def chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    """Rows in slices of `size`, for batched inserts."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
