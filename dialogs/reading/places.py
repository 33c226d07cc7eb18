"""Alabama places, so that an agency named in a message can be told to be in Alabama or not.

"Mobile PD" is an Alabama agency; "Atlanta PD" is not, and "full time at Atlanta PD" is no
answer to a question about Alabama agencies. The counties are all 67; the cities are the
larger ones and those with police departments an applicant is likely to name.
"""
from __future__ import annotations

from dialogs.reading.text import any_phrase

ALABAMA_COUNTIES = (
    "autauga", "baldwin", "barbour", "bibb", "blount", "bullock", "butler", "calhoun", "chambers", "cherokee",
    "chilton", "choctaw", "clarke", "clay", "cleburne", "coffee", "colbert", "conecuh", "coosa", "covington",
    "crenshaw", "cullman", "dale", "dallas", "dekalb", "elmore", "escambia", "etowah", "fayette", "franklin",
    "geneva", "greene", "hale", "henry", "houston", "jackson", "jefferson", "lamar", "lauderdale", "lawrence",
    "lee", "limestone", "lowndes", "macon", "madison", "marengo", "marion", "marshall", "mobile", "monroe",
    "montgomery", "morgan", "perry", "pickens", "pike", "randolph", "russell", "st clair", "shelby", "sumter",
    "talladega", "tallapoosa", "tuscaloosa", "walker", "washington", "wilcox", "winston",
)
ALABAMA_CITIES = (
    "birmingham", "montgomery", "mobile", "huntsville", "tuscaloosa", "hoover", "dothan", "auburn", "decatur",
    "madison", "florence", "vestavia hills", "phenix city", "prattville", "gadsden", "alabaster", "opelika",
    "enterprise", "homewood", "northport", "anniston", "athens", "pelham", "oxford", "albertville", "trussville",
    "mountain brook", "fairhope", "daphne", "foley", "helena", "prichard", "selma", "hueytown", "cullman",
    "millbrook", "talladega", "troy", "jasper", "ozark", "center point", "gardendale", "bessemer", "scottsboro",
    "fort payne", "saraland", "muscle shoals", "leeds", "moody", "calera", "gulf shores", "orange beach",
    "spanish fort", "tuskegee", "eufaula", "andalusia", "jacksonville", "sylacauga", "alexander city",
    "clanton", "fort rucker", "maxwell", "redstone arsenal", "wetumpka", "tarrant", "irondale", "fultondale",
    "chelsea", "boaz", "arab", "hartselle", "sheffield", "tuscumbia", "russellville", "atmore", "brewton",
    "greenville", "demopolis", "valley", "lanett", "roanoke", "rainbow city", "southside", "hokes bluff",
)
ALABAMA_NAMES = ("alabama", "al", "ala", "bama", "apostc", "alabama state troopers", "alea")


def names_alabama(p: str) -> bool:
    """`p` (words) names Alabama or an Alabama county or city."""
    return any_phrase(p, ALABAMA_NAMES) or any_phrase(p, ALABAMA_CITIES) or any_phrase(p, ALABAMA_COUNTIES)
