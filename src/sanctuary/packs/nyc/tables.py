"""New York's population in tables: its case model's ``person`` and ``request`` as Polars structs, the layout
the core derives the tables from (records with the scalar facts; ``convictions.parquet`` and
``pending_charges.parquet``), and which facts the look-back reads (docs/population.md).

The structs follow the contract (``packs/nyc/case.py``; a test checks every field is one of the case model's)
in the order the single-file layout has always written them, so that files written before stay readable.
"""

from __future__ import annotations

import polars as pl

from sanctuary.population.tables import Breakdown, History, TablesLayout

PERIOD = pl.Struct({"from": pl.String, "to": pl.String})
_CHARGED = {
    "charge": pl.String,
    "level": pl.String,
    "class": pl.String,
    "inchoate": pl.String,
    "hate_crime": pl.Boolean,
    "relates_to_patronizing": pl.Boolean,  # the laws of 2012 and 2013 (optional extension)
}
CONVICTION = pl.Struct(
    {
        **_CHARGED,
        "judgment_date": pl.String,
        "offense_date": pl.String,
        "court": pl.String,
        "ny_equivalent": pl.String,
        "youthful_offender": pl.Boolean,
        "juvenile_delinquent": pl.Boolean,
        "incarceration": pl.List(PERIOD),
    }
)
PENDING = pl.Struct(
    {
        **_CHARGED,
        "arrest_date": pl.String,
        # the 2013 law's facts of a pending case (optional extensions)
        "case_id": pl.String,
        "adjournment_in_contemplation_of_dismissal": pl.Boolean,
        "conditional_discharge": pl.Boolean,
        "must_be_youthful_offender": pl.Boolean,
        "released_for_failure_to_replace_complaint": pl.Boolean,
        "firearm_or_ammunition": pl.Boolean,
    }
)
DOCUMENT = pl.Struct(
    {
        "type": pl.String,
        "signer": pl.String,
        "probable_cause": pl.Boolean,
        "authorizes_immigration_custody": pl.Boolean,
        "presented_with_detainer": pl.Boolean,
    }
)
REQUEST = pl.Struct(
    {
        "from": pl.String,
        "immigration_enforcement_duties": pl.Boolean,
        "documents": pl.List(DOCUMENT),
        "purpose": pl.String,
        "mayoral_executive_order": pl.Boolean,
    }
)
PERSON = pl.Struct(
    {
        "instant_arrest_date": pl.String,
        "convictions": pl.List(CONVICTION),
        "pending_charges": pl.List(PENDING),
        "tsdb_possible_match": pl.Boolean,
        "reentered_after_removal": pl.Boolean,
        "gang_database": pl.Boolean,
        # the laws of 2012 and 2013 (optional extensions)
        "outstanding_criminal_warrant": pl.Boolean,
        "ncic_known_gang_member": pl.Boolean,
        "outstanding_removal_warrant": pl.Boolean,
        "final_order_of_removal": pl.Boolean,
    }
)
#: The look-back walks the judgments of conviction (the judgment on the current case joins them), counting
#: from the instant arrest, extended by the custody of each judgment (the incarceration extension).
HISTORY = History(
    list="convictions",
    arrest="instant_arrest_date",
    judged="judgment_date",
    committed="offense_date",
    custody="incarceration",
)
#: Its item leaves read the decision date only through the dated lists (``law_changes()``) and the items' own
#: dates; the look-back, which counts from the decision date, is the history's test, run on the real date.
#: Who a change reaches, in the order of the files' columns: the charge's group (many: the fifteen most common are
#: shown), the custody status (also a column of the file of every changed record), the gang flag and the age group
#: the Department of Correction publishes.
BREAKDOWNS = (
    Breakdown("charge_group", "charge group", top=15),
    Breakdown("custody_status", "custody status", changed=True),
    Breakdown("gang_flag", "gang flag"),
    Breakdown("age_group", "age group"),
)
LAYOUT = TablesLayout(request=REQUEST, person=PERSON, history=HISTORY, items_by_law_period=True, breakdowns=BREAKDOWNS)
CASE = LAYOUT.case
