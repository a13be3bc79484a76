-- Anonymous visitor statistics, counted on the server without cookies.
--
-- Only daily aggregates are kept, plus `stat_seen`: the day's visitor ids
-- (a keyed hash of a daily random salt + site + IP address + user agent),
-- needed to count each visitor once per day. The salt lives in memory only
-- and is replaced at midnight, so yesterday's ids cannot be recomputed or
-- linked to today's; the rows are deleted once their day is over. No IP
-- address or user agent is ever written.

CREATE TABLE stat_seen (
    day     TEXT NOT NULL,
    -- '*' for the whole site.
    path    TEXT NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (day, path, visitor)
) WITHOUT ROWID;

-- Views and unique visitors per day and path; path '*' is the whole site.
CREATE TABLE stat_page (
    day      TEXT NOT NULL,
    path     TEXT NOT NULL,
    views    INTEGER NOT NULL DEFAULT 0,
    visitors INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, path)
) WITHOUT ROWID;

-- Visits (first view of the day) by the domain the visitor came from.
CREATE TABLE stat_referrer (
    day    TEXT NOT NULL,
    domain TEXT NOT NULL,
    visits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, domain)
) WITHOUT ROWID;

-- Visitors by device class: phone, tablet, desktop.
CREATE TABLE stat_device (
    day      TEXT NOT NULL,
    device   TEXT NOT NULL CHECK (device IN ('phone', 'tablet', 'desktop')),
    visitors INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, device)
) WITHOUT ROWID;

-- Catalogue filters used (facet key, value key).
CREATE TABLE stat_filter (
    day   TEXT NOT NULL,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    uses  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, facet, value)
) WITHOUT ROWID;

-- Searches that found nothing: the content gaps.
CREATE TABLE stat_empty_search (
    day      TEXT NOT NULL,
    query    TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
) WITHOUT ROWID;
