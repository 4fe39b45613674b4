# Bare DOC rule of NYC Administrative Code § 9-131(b)(1), for the regopy
# baseline benchmark (see benchmarks/rego_baseline.py).
#
# § 9-131(b)(1): the Department of Correction (DOC) may honor a civil
# immigration detainer by holding a person only if
#   (i)  the detainer is accompanied by a judicial warrant, and
#   (ii) the person has been convicted of a violent or serious crime
#        (simplified here to a felony whose Penal Law section is in the
#        configured set, with judgment in the five years before the instant
#        arrest), or is identified as a possible match in the Terrorist
#        Screening Database (TSDB).
# Otherwise the hold is prohibited.
#
# This is deliberately the *bare* rule used for timing: it does not model
# § 9-131(a) definitions beyond the simplified look-back, nor the agency or
# requested-action scoping (input.agency / input.request.actions are not
# consulted). The set of "violent or serious crime" sections is supplied as
# base data at data.nyc_9_131.violent_or_serious_sections, an object whose keys
# are Penal Law section numbers (e.g. "160.15") and whose values are true.
#
# Dates are "YYYY-MM-DD" strings; a malformed date makes the dependent rule
# undefined, so the decision falls back to "prohibited".

package nyc_9_131.b1

import rego.v1

# Entry point: "permitted" or "prohibited".
default decision := "prohibited"

# § 9-131(b)(1): honor the detainer only if (i) AND (ii).
decision := "permitted" if {
	judicial_warrant_presented
	conviction_or_tsdb
}

# § 9-131(b)(1)(i) / § 9-131(a) "judicial warrant": a warrant for removal
# issued by a federal judge or federal magistrate judge on a finding of
# probable cause, authorising custody, presented together with the detainer.
judicial_signers := {"article_iii_judge", "us_magistrate_judge"}

judicial_warrant_presented if {
	some doc in input.request.documents
	doc.type == "warrant"
	judicial_signers[doc.signer]
	doc.probable_cause == true
	doc.authorizes_immigration_custody == true
	doc.presented_with_detainer == true
}

# § 9-131(b)(1)(ii): violent or serious crime conviction within the
# look-back (simplified: felony, listed section, judgment within five years
# before the instant arrest) ...
conviction_or_tsdb if recent_violent_or_serious_conviction

# ... or a possible match in the Terrorist Screening Database.
conviction_or_tsdb if input.person.tsdb_possible_match == true

recent_violent_or_serious_conviction if {
	arrest_ns := time.parse_ns("2006-01-02", input.person.instant_arrest_date)
	lookback_start_ns := time.add_date(arrest_ns, -5, 0, 0)
	some c in input.person.convictions
	c.level == "felony"
	data.nyc_9_131.violent_or_serious_sections[c.section] == true
	judgment_ns := time.parse_ns("2006-01-02", c.judgment_date)
	judgment_ns > lookback_start_ns  # "at least five years prior": exactly five years no longer counts
	judgment_ns <= arrest_ns
}
