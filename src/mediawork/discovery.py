"""Actor discovery: names the dictionary does not know yet, found from how they are written.

No trained model or NLTK data is needed; discovery reads general cues of English news:

1. **Name runs.** Runs of capitalised words (``Eddie Chu``, ``Cheng Chung-tai``,
   ``Ursula von der Leyen``), joined across name particles (``bin``, ``von der``,
   ``de``), across ``of`` after an institution or place word (``Ministry of
   Defence``, ``Gulf of Mexico``, ``Secretary of State``), and across ``and``/``&``
   when the run ends in an institution word (``Food and Drug Administration``).
2. **Filters.** A capitalised function word opening a sentence (``The``,
   ``However``, ``In``) is not a name; nor are months, weekdays, pronouns, bare
   titles (``President``) or a nationality adjective before a noun (``Russian
   troops``). A sentence-initial word is kept only with support (another capitalised
   word after it, a ``said`` cue, a first name, the gazetteer, or the same word
   capitalised elsewhere in the corpus). Headline-style sentences (most words
   capitalised, no final stop) only contribute names already found in ordinary
   sentences.
3. **Titles.** Leading titles (``President``, ``Prime Minister``, ``Foreign
   Minister``, ``Secretary of State``, ``Gen.``, ``Sen.``, ``Mr.``, ``Ms.``) are
   removed from the name and mark a person; so does a lowercase role before the
   name (``spokesman``, ``envoy``, ``striker``). Words before a title stay a name
   of their own (``US`` in ``US President Barack Obama``).
4. **Types** from summed cues over every mention of a cluster: *person* (titles,
   roles, common first names, initials such as ``K.C.``, an East Asian family name
   before a hyphenated given name, ``X said``, ``X, who``, an age ``X, 45,``, an
   apposition ``X, a retired teacher,``, ``X was born``/``died``, a people in the
   plural such as ``Afghans``, and two to four plain capitalised words none of which
   the corpus mostly writes in lowercase or is a known place); *organisation*
   (institution words such as Ministry, Council, Agency, Party, Inc, News; acronyms;
   ``the X``; ``X officials``, ``X's headquarters``, ``a member of X``); *place*
   (``in``/``from``/``to``/``near`` before, place words such as City, River,
   Province, suffixes such as ``-stan``, a small gazetteer of countries, regions and
   large cities); buildings and sites (Museum, Center, Hotel, Base) lean to *place*
   and also count as an institution. A title before an institution (``Chairman of
   the X Centre``) is not a person's. Weak or no evidence gives ``other``.
5. **Clusters.** Variants are one actor: the same name without titles or
   possessive (``Mr. Putin``/``Putin``), spellings that agree once accents, doubled
   letters and ``iy``/``yy``/final ``i`` are normalised (``Zelensky``/``Zelenskyy``,
   ``Dmitri``/``Dmitry``), a surname or first name after the full name in the same
   article (``Vladimir Putin`` ... ``Putin``; a place-like surname such as
   ``Paris`` only where no place preposition leads it), a surname belonging to one
   full name across the corpus (never a known place or an acronym), and an acronym
   given in brackets after its full name.
6. **Splits.** A person's name that follows a place or an acronym in one capitalised
   run is a name of its own (``NASA Bill Ingalls``, ``Governor of Washington Chris
   Gregoire``).

Example
-------
>>> import pandas as pd
>>> s = pd.DataFrame({"article_id": ["a", "a", "a"], "sentence_id": [0, 1, 2], "text": [
...     "On Monday, Foreign Minister Hakan Fidan arrived in Ankara.",
...     "However, Fidan said the talks in Ankara would go on.",
...     "The ministry of Turkey said Fidan was upbeat."]})
>>> discover_actors(s)[["name", "actor_type", "mentions"]].values.tolist()
[['Hakan Fidan', 'person', 3], ['Ankara', 'place', 2]]
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mediawork.actors import NAME_PARTICLES, ActorDictionary, check_sentences, mentions_frame, ordered_sentences, trailing_parts
from mediawork.errors import ParameterError

#: Columns of :func:`discover_actors`.
CANDIDATE_COLUMNS = ("name", "actor_type", "variants", "mentions", "articles", "score", "example")

# ----------------------------------------------------------------------------- general word lists

_FUNCTION_WORDS = frozenset(
    """a an the this that these those there here it its it's he she they we i you his her hers their our my your
    him them us me who whom whose which what when where why how whether if unless because since as while although
    though yet so and or but nor for nevertheless however moreover meanwhile furthermore also still now then thus
    therefore instead indeed otherwise besides earlier later today tomorrow yesterday tonight recently finally
    first second third last next some many most several both each every all any no not none few other another
    such one two three four five six seven eight nine ten dozens hundreds thousands millions after before
    during until till upon under over above below between among against across through throughout about around
    into onto from to in on at by with without within of off out up down near despite per via like unlike
    according asked speaking reached saying says said told meanwhile once only even just perhaps maybe please
    yes well oh hey dear thanks thank do does did is are was were be been being has have had will would can
    could shall should may might must let lets let's there's that's what's mr mrs ms dr
    eventually currently previously initially additionally separately similarly overall fortunately
    unfortunately sadly clearly obviously nearly almost about approximately roughly more less much very""".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun".split())
_NON_NAMES = _MONTHS | _WEEKDAYS | frozenset(
    """i am pm gmt utc bst cet est edt pst pdt ok tv ad bc ce bce covid internet web online
    christmas easter ramadan eid hanukkah diwali thanksgiving halloween new year""".split()
)

#: Capitalised titles before a name (removed from it; they mark a person).
_TITLES = frozenset(
    """president presidents vice prime minister ministers premier chancellor secretary secretary-general
    general gen gen. lieutenant lt lt. colonel col col. major maj maj. captain capt capt. sergeant sgt sgt.
    admiral adm adm. commander corporal private marshal field senator sen sen. representative rep rep.
    congressman congresswoman governor gov gov. mayor judge justice ambassador envoy chairman chairwoman
    chairperson chair director administrator commissioner spokesman spokeswoman spokesperson sheriff
    officer detective inspector constable superintendent professor prof prof. doctor dr dr. mr mr. mrs
    mrs. ms ms. miss mx sir dame lord lady king queen prince princess crown emperor empress sultan sheikh
    emir pope cardinal archbishop bishop reverend rev rev. father imam rabbi pastor deputy chief
    executive ceo cfo coo founder head speaker leader coach manager mp mep emeritus acting former
    foreign defence defense home interior finance health justice trade economy education culture
    energy environment attorney solicitor state treasury labor labour agriculture transport
    shadow high interim undersecretary under-secretary""".split()
)
#: Title words that only count together with a head title (``Foreign Minister``), never alone.
_TITLE_MODIFIERS = frozenset(
    "vice prime crown deputy chief acting former foreign defence defense home interior finance health justice "
    "trade economy education culture energy environment state treasury labor labour agriculture transport "
    "executive field emeritus head shadow high interim".split()
)
#: Lowercase roles before a name that mark a person (``spokesman Dmitry Peskov``).
_ROLES = frozenset(
    """president minister secretary spokesman spokeswoman spokesperson envoy adviser advisor aide chief leader
    director chairman chairwoman senator governor mayor lawmaker legislator official ambassador negotiator
    premier commander general officer coach manager striker midfielder defender goalkeeper forward player
    captain actor actress singer rapper musician artist painter photographer author writer novelist poet
    journalist reporter correspondent editor columnist blogger founder co-founder ceo executive boss owner
    professor scientist researcher economist analyst expert lawyer attorney judge prosecutor candidate
    nominee rival colleague wife husband son daughter father mother brother sister uncle aunt cousin
    widow widower friend member activist campaigner protester mp student teacher doctor nurse surgeon
    priest pastor bishop imam rabbi monk survivor victim suspect defendant witness resident user
    administrator commissioner sheriff detective inspector chancellor governor-general emeritus
    designer director-general businessman businesswoman billionaire entrepreneur astronaut pilot
    soldier veteran comedian presenter host producer filmmaker dancer athlete cyclist runner boxer""".split()
)
#: Nouns for people in appositions (``X, a local woman,``), besides the roles.
_PERSON_NOUNS = frozenset(
    """man woman men women boy girl child teenager teen person mother father grandmother grandfather
    citizen national native resident refugee migrant immigrant volunteer worker employee veteran
    politician diplomat official member spokesman spokeswoman leader""".split()
)
#: Verbs only people do, after a name (``X was born``, ``X died``).
_LIFE_VERBS = frozenset("born died dies married divorced".split())
_SAY_VERBS = frozenset(
    """said says say told tells added adds explained explains noted notes wrote writes argued argues asked asks
    stated states claimed claims insisted insists warned warns announced announces replied replies recalled
    recalls admitted admits acknowledged believes believed thinks thought confirmed confirms denied denies
    urged urges suggested suggests commented comments tweeted posted responded responds""".split()
)
_ORG_HEADS = frozenset(
    """ministry department council agency party inc inc. corp corp. corporation ltd ltd. llc plc co co. company
    companies group bank banks university college school academy institute institution association union
    federation organization organisation committee commission court tribunal office service services force
    forces army navy police guard foundation fund trust church club fc team league network networks
    airlines airways motors systems technologies technology labs laboratory laboratories society parliament
    congress senate assembly cabinet government administration authority bureau board
    news times post journal press tribune herald telegraph guardian
    gazette magazine weekly daily radio television broadcasting media studios records publishing pictures entertainment
    alliance coalition movement front brigade regiment command council secretariat directorate
    chamber embassy consulate foundation charity agency unit division project program programme bloc
    industries holdings partners capital ventures enterprises solutions international worldwide global""".split()
)
#: Heads of buildings and sites: places that are also institutions (``Kennedy Space Center``).
_FACILITY_HEADS = frozenset(
    """museum center centre planetarium hotel base hospital clinic gallery galleries library zoo theatre
    theater complex facility memorial mall prison campus observatory aquarium""".split()
)
#: Lowercase words after a name that mark an organisation (``Scientology officials``, ``Google's headquarters``).
_ORG_FOLLOWERS = frozenset(
    """officials official headquarters hq employees staff staffers spokesman spokeswoman spokesperson executives
    executive shareholders subsidiary subsidiaries website homepage members lawyers attorney attorneys
    board management""".split()
)
#: Nouns before ``of X`` that make X an organisation (``a member of X``, ``the founder of X``).
_MEMBERSHIP = frozenset("member members founder founders co-founder co-founders employee employees staff shareholder shareholders".split())
_ORG_SUFFIXES = frozenset("inc inc. ltd ltd. llc plc corp corp. co co. ag gmbh sa nv bv s.a. ag. pty".split())
_PLACE_HEADS = frozenset(
    """city county province state region district territory oblast prefecture island islands isle mountain
    mountains mount mt mt. river lake sea ocean gulf bay valley desert peninsula strait straits coast
    street st avenue ave road boulevard square park airport station bridge hall tower palace castle cathedral
    temple mosque church stadium arena beach harbor harbour port canal falls heights hills village town
    borough township plaza quarter republic kingdom emirates states territories west east north south""".split()
)
_PLACE_PREFIXES = frozenset("mount mt mt. lake cape port fort saint st st. san santa new north south east west central upper lower greater".split())
_PLACE_PREPOSITIONS = {"in": 2.0, "near": 2.0, "across": 1.5, "throughout": 1.5, "outside": 1.2, "into": 1.2, "inside": 1.2, "towards": 1.0, "toward": 1.0, "via": 1.0, "from": 0.8, "to": 0.6, "at": 0.4}
_COUNTRY_ACRONYMS = frozenset("US U.S. USA U.S.A. UK U.K. UAE U.A.E. DRC PRC ROK DPRK EU".split())

#: A small general gazetteer: countries, world regions and large cities (lowercase).
_GAZETTEER = frozenset(
    """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
    bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria
    burkina burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus
    czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon
    gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india
    indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait
    kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi
    malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro
    morocco mozambique myanmar burma namibia nauru nepal netherlands nicaragua niger nigeria norway oman
    pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda
    samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland
    syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey türkiye turkmenistan tuvalu uganda
    ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe america britain england scotland
    wales europe asia africa antarctica oceania arctic antarctic eurasia scandinavia balkans caucasus
    gaza crimea donbas kashmir tibet xinjiang hong kong macau korea
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois
    indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
    montana nebraska nevada hampshire jersey mexico carolina dakota ohio oklahoma oregon pennsylvania rhode
    tennessee texas utah vermont virginia wisconsin wyoming
    london paris berlin madrid rome moscow kyiv kiev beijing shanghai tokyo seoul delhi mumbai karachi
    lahore dhaka istanbul ankara tehran baghdad damascus beirut jerusalem cairo riyadh jeddah dubai doha
    nairobi lagos johannesburg washington york chicago boston angeles francisco seattle houston dallas miami
    atlanta toronto ottawa montreal vancouver sydney melbourne brisbane auckland wellington brussels vienna
    warsaw prague budapest bucharest athens lisbon dublin amsterdam stockholm oslo copenhagen helsinki
    geneva zurich minsk tbilisi baku yerevan kabul islamabad bangkok jakarta manila hanoi singapore
    pyongyang taipei mexico havana bogota lima santiago caracas brasilia rio""".split()
)
#: Multi-word places of the gazetteer (lowercase phrases).
_GAZETTEER_PHRASES = frozenset(
    """hong kong|new york|los angeles|san francisco|north korea|south korea|new zealand|saudi arabia|united states|
    united kingdom|south africa|new delhi|new mexico|new jersey|new hampshire|north carolina|south carolina|
    north dakota|south dakota|west virginia|rhode island|middle east|latin america|sri lanka|costa rica|
    el salvador|puerto rico|czech republic|ivory coast|united arab emirates|tel aviv|abu dhabi|kuala lumpur|
    buenos aires|mexico city|rio de janeiro|east timor|northern ireland|west bank|gaza strip|black sea|
    red sea|persian gulf|south china sea|european union|soviet union|great britain|sierra leone|
    burkina faso|papua new guinea|dominican republic|central african republic|san marino|vatican city""".replace("\n", " ").split("|")
)
_GAZETTEER_PHRASES = frozenset(" ".join(p.split()) for p in _GAZETTEER_PHRASES)
_EVENT_HEADS = frozenset(
    "fair festival summit conference expo exhibition awards award prize cup games olympics championship championships "
    "tournament series war election elections day week month year act bill treaty accord agreement".split()
)
_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|ese|ish|ic|an|i|n|s)$")
_ADJECTIVES = frozenset(
    """french dutch greek thai swiss welsh irish scots scottish danish finnish norwegian british filipino arab
    western eastern northern southern christian muslim jewish catholic protestant orthodox islamic sunni shia
    hindu buddhist latin polish nordic baltic soviet communist socialist democratic liberal conservative""".split()
)


def _is_demonym(word: str) -> bool:
    """``Russian``, ``Ukrainian``, ``Chinese``, ``Afghan``: an adjective of a gazetteer place, or a listed one."""
    w = word.lower()
    if w in _ADJECTIVES:
        return True
    if w in _GAZETTEER or not _DEMONYM_SUFFIX.search(w) or len(w) < 4:
        return False
    return any(len(os.path.commonprefix([w, g])) >= min(4, len(g) - 1) for g in _GAZETTEER_STEMS.get(w[:3], ()))

#: Common given names across languages, lowercase: a cue for person, never a name list of any corpus.
_FIRST_NAMES = frozenset(
    """aaron abdul abdullah adam adrian ahmed ahmad ali alan albert alex alexander alexandra alexei alice alicia
    alina amanda amir amy ana andrea andreas andrei andrew andrii andriy andy angela angelina ann anna anne
    annie anthony antonio anton arnold arthur barack barbara ben benjamin bernard bill billy bob bonnie boris
    brad brandon brian bruce carl carla carlos carmen caroline catherine charles charlie charlotte chris
    christian christina christine christopher claire claudia claudio colin craig cynthia dan daniel daniela
    david dean deborah dennis diana diego dmitri dmitry dominic donald doug douglas dylan ed eddie edward
    elena elizabeth ellen emily emma emmanuel eric erik eugene eva evan fatima felix fernando francesca
    francis francisco frank fred frederick gabriel gary george georgia gerald gloria gordon grace greg gregory
    hamid hannah hans harry hassan heather helen helmut henry hillary howard hugo hussein ian igor irina
    isabel ivan jack jacob james jan jane janet jason javier jean jeff jeffrey jennifer jeremy jerry jessica
    jim jimmy joan joe joel johann john johnny jon jonathan jorge jose joseph josh joshua juan judith julia
    julian julie justin karen karl kate katherine kathryn keith kelly ken kenneth kevin kim kirill kristen
    kristin larry laura lauren lee leo leon leonid linda lisa liz louis lucas lucy luis luke lydia manuel
    marc marco marcus margaret maria marie marina mario mark martin mary matt matthew max maxim maxime
    michael michel michelle miguel mike mikhail mohamed mohammad mohammed muhammad nancy natalia natalie
    nathan neil nicholas nick nicola nicolas nikolai nina noah olaf olena oleg olga oliver omar oscar pablo
    pamela patricia patrick paul paula pedro peter philip pierre rachel rafael ralph ramon raymond rebecca
    recep regina richard rick rishi rob robert roberto robin roger ron ronald rose ruth ryan sam samuel sandra
    sara sarah scott sean sebastian sergei sergey sharon simon sofia sophie stan stanley stefan stefania
    stephanie stephen steve steven susan tanya ted teresa thomas tim timothy tina todd tom tony tyler ursula
    valentina valeria victor victoria vincent viktor vladimir volodymyr walter wang wei william xi yannick
    yuri yury yvette zhang
    abby abigail ada adele agnes aidan aisha alberto aleksandr alessandro alfred alfredo alison allison alvin
    amelia amina anderson andre andrea andres angelo anita annette antoine antonia april archie ariel arjun
    ashley audrey austin ava barry beatrice becky bella benedict bernie beth betty beverly bianca blake
    bobby bradley brenda brett bridget brittany brooke bruno bryan caitlin calvin cameron camila candice
    carol carolyn carrie casey cecilia cesar chad chantal charlene chelsea cheryl chloe christa christophe
    cindy clara clarence clark claude claudine clifford clint clyde cody connie connor cora courtney cristina
    curtis daisy dale dana danielle danny darren darryl dave dawn debbie delia denise derek desmond diane
    dolores dominique donna doris dorothy duncan dustin earl eduardo edwin eileen elaine eleanor eli elias
    elijah elise eliza ella ellie elliot elsa emil emilia emilio enrique erica erin ernest esther ethan
    eugenia evelyn ezra faith farah felipe fiona florence floyd frances francois freddie gail gavin gemma
    gene geoffrey georg gerard gerhard gianni gilbert gina giovanni giuseppe glen glenn grant greta gustavo
    gwen hailey hank harold harriet harvey hazel hector heidi heinz henri herbert holly hunter ibrahim ida
    imran ingrid irene iris isaac isabella isaiah ivy jackie jacqueline jade jake jamal jamie janice jared
    jasmine jay jean-claude jean-pierre jeanne jenna jenny jesse jill jo joanna joanne jocelyn jodie joey
    johanna jordan josef josephine joy joyce juana judy jules juliana juliet june kai kamala karim karin
    kathleen kathy katie katrina kay kayla keira kendra kent kerry khalid kirk klaus krishna kurt kyle lance
    lara larissa laurent lawrence leah leila lena leonard leonardo leroy leslie lester lewis liam lillian
    lily lina lindsay lindsey lionel lloyd logan lois lorenzo loretta lorraine louise luca lucia luciano
    luigi luka lynn mabel mackenzie madeleine madison mahmoud malcolm mamadou mandy marcel marcia marco
    margarita marian marianne marilyn marion marjorie marla marlene marsha marshall martha marvin mason
    matteo matthias maureen maurice maya megan melanie melinda melissa melvin mercedes meredith mia micheal
    mildred milton miranda miriam misty mitchell mohan molly monica morgan moses muriel myra nadia nadine
    naomi narendra natasha neal ned nelson nicole nigel nikita nina noel nora norma norman olivia olivier
    omar orlando otto owen paolo pascal patti patty pauline pearl peggy penelope percy phil philippe phyllis
    pierre-luc polly priscilla priya quentin rachael rahul raj rajesh ramona randall randy raquel raul ray
    reggie reginald renata rene renee rex rhonda ricardo rita rodney rodrigo roland rolf ronnie rory rosa
    rosemary ross roxanne ruby rudolf rudy russell sabrina sally salma salvador samantha samir sandy santiago
    sasha saul selena serena sergio seth shane shannon shawn sheila shelby shelley sherry shirley sidney
    silvia skye sonia sonya spencer stacy stella sue suleiman suzanne sven sylvia tamara tammy tara
    terence terry thea theodore theresa tiffany tobias toby tommy tracy travis trevor troy ulrich valerie
    vanessa vera veronica vicki vince viola violet virginia vivian wade wallace walt wanda warren wayne
    wendy wesley whitney wilbur wilfred willie wilson winston wolfgang yasmin yolanda yusuf yvonne zachary
    zara zoe""".split()
)
#: Common Chinese, Korean and Vietnamese family names (romanised, lowercase), written before a hyphenated given name.
_ASIAN_SURNAMES = frozenset(
    """an bae cha chan chang chao chen cheng cheung cho choi chong chou choy chu chung dang do fang fong fu gao
    guo ha han hau ho hong hsu hu huang hui hwang jang jeon jeong jiang jin jung kang ko kong kwak kwan kwok
    kwon lai lam lau lee leung li liang lim lin liu lo lu luo ma mak ng ngo oh pak pan park peng phan pham
    seo shin sin so song sun tan tang teo tsai tse tsang tso wan wang wei wong woo wu xu yan yang yau yeung
    yim yip yoo yoon yu yuen zhang zhao zheng zhou zhu""".split()
)
_GAZETTEER_STEMS: dict[str, tuple[str, ...]] = {}
for _place in sorted(_GAZETTEER):
    _GAZETTEER_STEMS[_place[:3]] = (*_GAZETTEER_STEMS.get(_place[:3], ()), _place)
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|bin|ibn|ben|abu|d|l|o|de|di|da|du|van|von|le|la)[-'’]\w", re.I)
_ABBREVIATIONS = frozenset("mr mrs ms dr gen sen rep gov lt col capt sgt adm maj prof rev st mt ft jr sr inc corp co ltd bros no vs".split())

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_][\w]*(?:[-'’&][\w]+)*|\S", re.UNICODE)
_POSSESSIVE = re.compile(r"[’']s?$")
_OPENERS = frozenset('"“‘\'([{:;—–-«')


@dataclass
class _Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() or bool(_PARTICLE_PREFIX.match(self.text)) and any(c.isupper() for c in self.text[1:])

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass
class _Mention:
    """A name found in one sentence, with its typing cues."""

    row: int  # sentence row in the ordered frame
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]
    scores: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    initial: bool = False
    key: str = ""


def _tokens(text: str) -> list[_Token]:
    """Words with offsets; possessive endings split off; abbreviation periods kept (``Mr.``, ``J.``)."""
    out: list[_Token] = []
    consumed = 0
    for m in _TOKEN.finditer(text):
        word, s, e = m.group(), m.start(), m.end()
        if s < consumed:
            continue
        pos = _POSSESSIVE.search(word)
        if pos and len(word) > 2 and word[0].isalpha() and word[pos.start() - 1 : pos.start()].isalpha():
            out.append(_Token(word[: pos.start()], s, s + pos.start()))
            out.append(_Token(word[pos.start() :], s + pos.start(), e))
            continue
        if e < len(text) and text[e] == "." and (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())):
            word, e = word + ".", e + 1
            consumed = e
        out.append(_Token(word, s, e))
    return out


def _title_case(tokens: list[_Token]) -> bool:
    """A headline-style sentence: no final stop and every content word capitalised."""
    if tokens and tokens[-1].text in {".", "!", "?", "…"} or len(tokens) > 1 and tokens[-1].text in {'"', "”", "’"} and tokens[-2].text in {".", "!", "?"}:
        return False  # headlines rarely end with a full stop
    words = [t for t in tokens if t.text[:1].isalpha() and len(t.text) > 3 and t.lower not in _FUNCTION_WORDS]
    return len(words) >= 3 and not any(t.text[:1].islower() for t in words)


def _is_name_token(tok: _Token) -> bool:
    return tok.capitalised and tok.text[:1].isalpha() and tok.lower.rstrip(".") not in _NON_NAMES


def _runs(tokens: list[_Token]) -> list[tuple[int, int]]:
    """Spans [i, j) of capitalised runs joined across particles, ``of`` after institution words and ``and``/``&``."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_name_token(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            t = tokens[j]
            if _is_name_token(t):
                j += 1
                continue
            nxt = tokens[j + 1] if j + 1 < n else None
            last = tokens[j - 1].lower.rstrip(".")
            if t.lower in NAME_PARTICLES and nxt is not None:
                k = j
                while k < n and tokens[k].lower in NAME_PARTICLES:
                    k += 1
                if k < n and _is_name_token(tokens[k]) and k - j <= 2:
                    j = k
                    continue
            if t.lower == "of" and nxt is not None and (last in _ORG_HEADS or last in _FACILITY_HEADS or last in _PLACE_HEADS or last in _TITLES):
                k = j + 1 + (nxt.lower == "the")
                if k < n and _is_name_token(tokens[k]):
                    j = k
                    continue
            if t.text in ("&", "and") and nxt is not None and _is_name_token(nxt):
                k = j + 1
                while k < n and _is_name_token(tokens[k]):
                    k += 1
                if t.text == "&" or tokens[k - 1].lower.rstrip(".") in _ORG_HEADS | _FACILITY_HEADS:
                    j = k
                    continue
            break
        runs.append((i, j))
        i = j
    return runs


def _strip_titles(tokens: list[_Token], i: int, j: int) -> tuple[int, int, int, bool]:
    """Split a run at its titles: (left end of a name before the titles, name start, name end, had_title)."""
    k = i
    while k < j and tokens[k].lower.rstrip(".") not in _TITLES:
        k += 1
    if k == j:
        return i, i, j, False
    m = k
    while m < j and (tokens[m].lower.rstrip(".") in _TITLES or tokens[m].lower in ("of", "the")):
        m += 1
    heads = [t.lower.rstrip(".") for t in tokens[k:m] if t.lower.rstrip(".") not in _TITLE_MODIFIERS | {"of", "the"}]
    if not heads:  # only modifiers ("Ministry of Defence", "Foreign Office"): not a title
        return i, i, j, False
    return k, m, j, m < j


def _person_after_prefix(tokens: list[_Token], s: int, e: int) -> int | None:
    """Where a person's name starts after a place or acronym in one run, else None.

    ``NASA Bill Ingalls`` and ``Washington Chris Gregoire`` split before a common first name;
    ``Ambassador to the United States Hamdullah Mohib`` splits after the place when a title
    and ``to``/``of``/``for`` lead into the run. At least two words must follow the split.
    """
    a = s + (tokens[s].lower == "the")
    if e - a < 3:
        return None
    prefix = None
    if tokens[a].acronym:
        prefix = a + 1
    else:
        for k in range(min(e - 2, a + 4), a, -1):  # the longest gazetteer place at the start
            words = [t.lower.rstrip(".") for t in tokens[a:k]]
            if " ".join(words) in _GAZETTEER_PHRASES or (len(words) == 1 and words[0] in _GAZETTEER):
                prefix = k
                break
    if prefix is None or e - prefix < 2 or not tokens[prefix].capitalised:
        return None
    if tokens[prefix].lower in _FIRST_NAMES:
        return prefix
    before = [t.lower.rstrip(".") for t in tokens[max(0, s - 3) : s]]
    if before and before[-1] in {"to", "of", "for", "the"} and any(w in _TITLES for w in before):
        return prefix
    return None


def _add(scores: dict[str, float], kind: str, value: float) -> None:
    scores[kind] += value


def _mentions_in(tokens: list[_Token], text: str, row: int, *, headline: bool, common: Collection[str] = frozenset()) -> list[_Mention]:
    out = []
    for i, j in _runs(tokens):
        left_end, s, e, titled = _strip_titles(tokens, i, j)
        pieces = []
        if left_end > i:
            pieces.append((i, left_end, False, True))
        k = _person_after_prefix(tokens, s, e) if s < e else None
        if k is not None:  # "NASA Bill Ingalls", "Governor of Washington Chris Gregoire"
            pieces.append((s, k, False, True))
            s = k
        if s < e:
            pieces.append((s, e, titled, False))
        for a, b, has_title, before_title in pieces:
            # sentence-initial function words ("The", "In", "However") are not part of a name
            prev = tokens[a - 1] if a > 0 else None
            initial = prev is None or prev.text in _OPENERS
            lead = None
            while a < b and tokens[a].lower in _FUNCTION_WORDS and not tokens[a].acronym:
                lead = tokens[a].lower
                a += 1
                initial = False
            if a >= b:
                continue
            while b > a and tokens[b - 1].lower in _FUNCTION_WORDS | NAME_PARTICLES | {"of", "and", "&"} and not tokens[b - 1].acronym:
                b -= 1
            if a >= b:
                continue
            words = [t.text for t in tokens[a:b]]
            lowered = [w.lower().rstrip(".") for w in words]
            if all(w in _TITLES for w in lowered):
                continue
            mention = _Mention(row, tokens[a].start, tokens[b - 1].end, text[tokens[a].start : tokens[b - 1].end], tuple(words))
            mention.initial = initial and not has_title
            _cue(mention, tokens, a, b, lead=lead, titled=has_title, before_title=before_title, common=common)
            if mention.scores.get("drop"):
                continue
            out.append(mention)
    return out


def _cue(
    m: _Mention, tokens: list[_Token], a: int, b: int, *, lead: str | None, titled: bool, before_title: bool, common: Collection[str] = frozenset()
) -> None:
    """Add typing evidence for the name tokens[a:b]; ``common`` holds words the corpus mostly writes in lowercase."""
    sc = m.scores
    words = [t.text for t in tokens[a:b]]
    low = [w.lower().rstrip(".") for w in words]
    prev = tokens[a - 1].lower if a > 0 else ""
    prev2 = tokens[a - 2].lower if a > 1 else ""
    nxt = tokens[b].lower if b < len(tokens) else ""
    nxt2 = tokens[b + 1].lower if b + 1 < len(tokens) else ""
    single = len(words) == 1
    people = single and len(low[0]) > 4 and low[0].endswith("s") and _is_demonym(low[0][:-1])  # "Afghans", "Greeks"
    if single and not people and _is_demonym(low[0]) and (low[0] not in _FIRST_NAMES or low[0] in _ADJECTIVES):
        if nxt[:1].isalpha() and nxt[:1].islower() and nxt not in _SAY_VERBS or before_title:
            sc["drop"] = 1  # "Russian troops", "a Christian denomination": an adjective, not an actor
            return
        if low[0] not in _FIRST_NAMES:
            sc["demonym"] = 1  # "in English", "the Swiss": a language or people, typed other
    if before_title:
        _add(sc, "place", 1.0 if not tokens[a].acronym or tokens[a].text in _COUNTRY_ACRONYMS else 0.0)
        _add(sc, "organisation", 1.0 if tokens[a].acronym and tokens[a].text not in _COUNTRY_ACRONYMS else 0.0)
    institution = any(w in _ORG_HEADS or w in _FACILITY_HEADS for w in low)
    if titled and not institution:  # "Chairman of the Australian Centre": the title belongs to someone else
        _add(sc, "person", 4.0)
    if prev in _ROLES or (prev == "," and prev2 in _ROLES):
        _add(sc, "person", 3.0)
    if low[0] in _FIRST_NAMES and not single:
        _add(sc, "person", 2.5)
    elif not single and _initials(words[0]) and not _initials(words[-1]) and len(words) <= 4:
        _add(sc, "person", 2.0)  # "J. K. Rowling", "K.C. Maurer"
    elif len(words) == 2 and low[0] in _ASIAN_SURNAMES and re.fullmatch(r"[a-z]{2,5}-[a-z]{2,5}", low[1]):
        _add(sc, "person", 2.5)  # "Park Joo-ho", "Lam Cheuk-ting": surname and a hyphenated given name
    elif low[0] in _FIRST_NAMES:
        _add(sc, "person", 1.0)
    if nxt in _SAY_VERBS or (prev in _SAY_VERBS and prev2 in {",", "”", '"'}) or prev in {"says", "said"} and not nxt[:1].isalpha():
        _add(sc, "person", 1.5)
        _add(sc, "organisation", 0.5)
    if nxt == "," and nxt2 in {"who", "whose"}:
        _add(sc, "person", 2.0)
    if _apposition_role(tokens, b):  # "X, a 52-year-old Australian woman,"
        _add(sc, "person", 2.5)
    if nxt in _LIFE_VERBS or nxt in {"was", "is"} and nxt2 in _LIFE_VERBS:  # "X was born", "X died"
        _add(sc, "person", 2.0)
    if nxt == "," and nxt2 == "which":
        _add(sc, "organisation", 1.0)
    if nxt == "," and nxt2.isdigit() and len(nxt2) <= 3:
        _add(sc, "person", 2.0)
    head = low[-1][:-1] if low[-1].endswith("s") and low[-1][:-1] in _ORG_HEADS | _FACILITY_HEADS else low[-1]
    if not single and (head in _FACILITY_HEADS or any(w in _FACILITY_HEADS for w in low[:-1]) and "of" in low and not any(w in _ORG_HEADS for w in low)):
        # a building or site ("Kennedy Space Center", "Museum of Flight"): a place, also an institution
        _add(sc, "place", 2.5)
        _add(sc, "organisation", 2.0)
        if prev in _PLACE_PREPOSITIONS or lead in _PLACE_PREPOSITIONS or prev == "the" and prev2 in _PLACE_PREPOSITIONS:
            _add(sc, "place", 1.0)
    elif head in _ORG_HEADS or head in _ORG_SUFFIXES or any(w in _ORG_HEADS for w in low[:-1]) and "of" in low:
        _add(sc, "organisation", 4.0)
    elif any(w in _ORG_HEADS for w in low):
        _add(sc, "organisation", 1.5)
    after = nxt2 if nxt in {"'s", "’s"} else nxt
    owned = nxt == "-" and nxt2 in {"owned", "backed", "funded", "run", "led"}
    if (after in _ORG_FOLLOWERS or owned) and not any(w in _GAZETTEER for w in low):
        _add(sc, "organisation", 2.0)  # "Scientology officials", "Google's headquarters", "Microsoft-owned"
    if prev == "of" and prev2 in _MEMBERSHIP:
        _add(sc, "organisation", 1.5)  # "a member of X", "the founder of X"
    if low[-1] in _PLACE_HEADS or (low[0] in _PLACE_PREFIXES and not single):
        _add(sc, "place", 3.0)
    name = " ".join(low)
    if (single and name in _GAZETTEER) or name in _GAZETTEER_PHRASES or (
        len(low) == 2 and low[0] in _PLACE_PREFIXES | {"northern", "southern", "eastern", "western"} and low[1] in _GAZETTEER
    ):
        _add(sc, "place", 3.5)
    if low[-1] in _EVENT_HEADS and not single:
        sc["event"] = 1  # "Google Science Fair", "World Cup": an event, typed other
    if people:
        _add(sc, "person", 2.5)  # "Ukrainians", "Muslims": a people, a person-type actor
    if m.text in _COUNTRY_ACRONYMS:
        _add(sc, "place" if m.text not in ("EU",) else "organisation", 4.0)
    elif all(_Token(w, 0, 0).acronym for w in words):
        _add(sc, "organisation", 2.0)
    if single and re.search(r"(?:stan|land|ia)$", low[0]) and low[0] not in _FIRST_NAMES:
        _add(sc, "place", 1.0 if low[0].endswith("ia") else 1.5)
    if lead == "the" or prev == "the":
        _add(sc, "organisation", 1.2)
        _add(sc, "place", 0.4)
    weight = _PLACE_PREPOSITIONS.get(prev) or _PLACE_PREPOSITIONS.get(lead or "")
    if weight:
        _add(sc, "place", weight)
        if weight >= 0.6:
            sc["place_prep"] = 1  # "in X", "to X": marks this mention as a place reference
    if nxt == "-" and nxt2 == "based" or (nxt == "," and tokens[b + 1].capitalised if b + 1 < len(tokens) else False) and prev in ("in", "from"):
        _add(sc, "place", 1.0)
    # two to four plain capitalised words look like a person's name, unless one of them is an
    # ordinary word the corpus writes in lowercase ("Space Shuttle Columbia", "Intelligence System")
    # or a known place ("Environment Canada") and the name does not start with a first name
    ordinary = any(w in common or w in _GAZETTEER for w in low) and low[0] not in _FIRST_NAMES
    if 2 <= len(words) <= 4 and not ordinary and not any(w in _ORG_HEADS or w in _FACILITY_HEADS or w in _PLACE_HEADS or w in _EVENT_HEADS for w in low) and not any(
        _Token(w, 0, 0).acronym for w in words
    ):
        _add(sc, "person", 1.2)


def _apposition_role(tokens: list[_Token], b: int) -> bool:
    """``X, a former Australian diplomat,``: a comma, an article, then a person noun within three words."""
    if b + 2 >= len(tokens) or tokens[b].text != "," or tokens[b + 1].lower not in {"a", "an", "the"}:
        return False
    for t in tokens[b + 2 : b + 6]:
        if t.text in {",", ".", ";", ":", "(", ")"} or t.lower in {"who", "which", "of", "and"}:
            return False
        if t.lower in _ROLES or t.lower in _PERSON_NOUNS:
            return True
    return False


def _initials(word: str) -> bool:
    """``J.``, ``K.C.``, ``J.R.R.``: one or more capital letters, each with a full stop."""
    return bool(re.fullmatch(r"(?:[A-Z]\.)+", word))


def _is_acronym(m: _Mention) -> bool:
    """``NATO``, ``U.N.``: every word of the mention is in capitals."""
    return all(_Token(w, 0, 0).acronym for w in m.tokens)


def _first_is_person(low: list[str]) -> bool:
    return len(low) > 1 and low[0] in _FIRST_NAMES


def _skeleton(text: str) -> str:
    """A spelling-insensitive key: no accents, case, apostrophes or doubled letters; ``iy``/``yy``/final ``i`` as ``y``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`.]", "", text)
    text = re.sub(r"[-\s]+", " ", text).strip()
    text = re.sub(r"(\w)\1+", r"\1", text)
    text = re.sub(r"(?:iy|yi|ii|ij)\b", "y", text)
    return re.sub(r"(?<=\w\w)i\b", "y", text)


def _known_keys(known: ActorDictionary | Iterable[str] | None) -> set[str]:
    if known is None:
        return set()
    if isinstance(known, str):
        raise ParameterError(f"known is the text {known!r}; expected an ActorDictionary or a list of names")
    if isinstance(known, ActorDictionary):
        forms = []
        for actor in known:
            forms += [*actor.forms, *actor.titles]
            if actor.type == "person":
                forms += [p for f in actor.forms for p in trailing_parts(f)]
    else:
        forms = [str(f) for f in known]
    return {_skeleton(f) for f in forms}


# ----------------------------------------------------------------------------- the pipeline


def _collect(sentences: pd.DataFrame) -> tuple[pd.DataFrame, list[_Mention]]:
    frame = ordered_sentences(sentences)
    texts = frame["text"].tolist()
    tokenised = [_tokens(t) for t in texts]
    headline = [_title_case(toks) for toks in tokenised]
    # corpus case evidence: words seen capitalised inside ordinary sentences, and seen lowercase
    capital_inside: Counter[str] = Counter()
    lower_seen: Counter[str] = Counter()
    for toks, head in zip(tokenised, headline):
        if head:
            continue
        for k, t in enumerate(toks):
            if not t.text[:1].isalpha():
                continue
            if t.text[:1].islower():
                lower_seen[t.lower] += 1
            elif k > 0 and toks[k - 1].text not in _OPENERS and toks[k - 1].text not in ".!?":
                capital_inside[t.lower] += 1
    common = frozenset(w for w, n in lower_seen.items() if 2 * n >= capital_inside[w])
    mentions: list[_Mention] = []
    headline_mentions: list[_Mention] = []
    for row, (toks, text, head) in enumerate(zip(tokenised, texts, headline)):
        for m in _mentions_in(toks, text, row, headline=head, common=common):
            if head:
                headline_mentions.append(m)
                continue
            if m.initial and len(m.tokens) == 1:
                w = m.tokens[0].lower()
                supported = (
                    capital_inside[w] > 0
                    or w in _FIRST_NAMES
                    or w in _GAZETTEER
                    or any(v >= 1.5 for k, v in m.scores.items() if k != "person")
                    or m.scores.get("person", 0) >= 1.5
                )
                if not supported or lower_seen[w] > capital_inside[w]:
                    continue
            mentions.append(m)
    ordinary = {_skeleton(m.text) for m in mentions}
    mentions += [m for m in headline_mentions if _skeleton(m.text) in ordinary]
    for m in mentions:
        m.key = _skeleton(m.text)
    return frame, mentions


def _cluster(frame: pd.DataFrame, mentions: list[_Mention]) -> dict[str, str]:
    """Map each mention key (per article for short forms) to a cluster key."""
    articles = frame["article_id"].tolist()
    texts = frame["text"].tolist()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(short: str, full: str) -> None:
        a, b = find(short), find(full)
        if a != b:
            parent[a] = b

    by_article: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_article[articles[m.row]].append(m)
    long_keys = {m.key for m in mentions if len(m.key.split()) > 1}
    # acronyms introduced in brackets: "Full Name (ACR)"
    for m in mentions:
        text = texts[m.row]
        after = text[m.end : m.end + 14]
        acr = re.match(r"\s*\(([A-Z][A-Z.&]{1,9})\)", after)
        if acr and len(m.tokens) > 1:
            initials = "".join(w[0] for w in m.tokens if w[:1].isupper())
            if acr.group(1).replace(".", "") in (initials, initials[1:] if len(initials) > 2 else initials):
                union(_skeleton(acr.group(1)), m.key)
    # short forms after the full name in the same article: surname or first name
    # a full name is a person's when it has more than the default two-capitalised-words evidence
    person_like = {m.key for m in mentions if m.scores.get("person", 0) >= max(m.scores.get("organisation", 0), m.scores.get("place", 0), 2.0)}
    # within an article, two capitalised words with nothing against a person will do, unless the short form is a known place
    maybe_person = {m.key for m in mentions if m.scores.get("person", 0) >= max(m.scores.get("organisation", 0), m.scores.get("place", 0), 1.0)}
    local: dict[int, str] = {}
    linked: set[tuple[str, str]] = set()
    for article, ms in by_article.items():
        fulls: list[_Mention] = []
        for m in sorted(ms, key=lambda x: (x.row, x.start)):
            words = m.key.split()
            if len(words) > 1:
                fulls.append(m)
                continue
            if _is_acronym(m):  # "U.N." is no surname of "Kim Jong-un"
                continue
            # a place name after a person's full name ("Valeska Paris" ... "Paris") is the person,
            # unless this mention is led by a place preposition ("flew to Paris")
            place_word = words[0] in _GAZETTEER and m.scores.get("place_prep", 0) > 0
            matches = [
                f
                for f in fulls
                if f.key.split()[-1] == words[0] and (f.key in person_like or f.key in maybe_person and not place_word)
            ]
            if not matches:  # a first name alone, after a full name that is clearly a person's
                matches = [f for f in fulls if f.key in person_like and f.scores.get("person", 0) >= 2.5 and f.key.split()[0] == words[0]]
                if len({f.key for f in matches}) != 1:
                    matches = []
            if matches:
                local[id(m)] = matches[-1].key
                linked.add((article, m.key))
    # surnames used on their own across the corpus, when one full name has them
    by_surname: dict[str, set[str]] = defaultdict(set)
    for key in long_keys & person_like:
        by_surname[key.split()[-1]].add(key)
    for m in mentions:
        words = m.key.split()
        # a known place is not taken as a surname across articles ("Paris" is not "Valeska Paris" everywhere)
        if len(words) == 1 and words[0] not in _GAZETTEER and not _is_acronym(m) and len(by_surname.get(words[0], ())) == 1 and (articles[m.row], m.key) not in linked:
            union(m.key, next(iter(by_surname[words[0]])))
    resolved = {}
    for m in mentions:
        target = local.get(id(m), m.key)
        resolved[id(m)] = find(target)
    return resolved


def _discover(sentences: pd.DataFrame, known) -> tuple[pd.DataFrame, list[_Mention], dict[int, str], pd.DataFrame]:
    check_sentences(sentences)
    known_keys = _known_keys(known)
    frame, mentions = _collect(sentences)
    cluster_of = _cluster(frame, mentions)
    articles = frame["article_id"].tolist()
    members: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        members[cluster_of[id(m)]].append(m)
    rows = []
    for key, ms in members.items():
        variants = Counter(m.text for m in ms)
        keys = {m.key for m in ms} | {key}
        if keys & known_keys:
            continue
        # full names decide the type when there are any: "Paris" after "Valeska Paris" is a person
        full = [m for m in ms if len(m.tokens) > 1] or ms
        totals: dict[str, float] = defaultdict(float)
        for m in full:
            for k, v in m.scores.items():
                totals[k] += v
        typed = {k: totals.get(k, 0.0) for k in ("person", "organisation", "place")}
        best = max(sorted(typed), key=lambda k: typed[k])
        per_mention = typed[best] / len(full)
        demonym = totals.get("demonym", 0.0) + totals.get("event", 0.0) >= len(full) / 2
        actor_type = best if per_mention >= 0.6 and typed[best] > 0 and not demonym else "other"
        confidence = typed[best] / sum(typed.values()) if sum(typed.values()) else 0.0
        name = sorted(variants, key=lambda v: (-len(v.split()) if len(v.split()) <= 4 else 0, -variants[v], v))[0]
        n_articles = len({articles[m.row] for m in ms})
        first = min(ms, key=lambda m: (articles[m.row], m.row, m.start))
        example = frame["text"].iloc[first.row]
        rows.append(
            {
                "key": key,
                "name": name,
                "actor_type": actor_type,
                "variants": "; ".join(sorted(variants)),
                "mentions": len(ms),
                "articles": n_articles,
                "score": round(math.log2(1 + len(ms)) * (1 + math.log2(n_articles)) * (0.5 + 0.5 * confidence), 4),
                "example": example if len(example) <= 240 else example[:237] + "...",
            }
        )
    table = pd.DataFrame(rows, columns=["key", *CANDIDATE_COLUMNS])
    return frame, mentions, cluster_of, table


def _kept(sentences: pd.DataFrame, known: ActorDictionary | Iterable[str] | None, min_count: int) -> tuple[pd.DataFrame, list[_Mention], dict[int, str], pd.DataFrame]:
    """:func:`_discover`'s results with the candidate table cut to those mentioned ``min_count`` times or more."""
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        raise ParameterError(f"min_count is {min_count!r}; expected a whole number of at least 1")
    frame, mentions, cluster_of, table = _discover(sentences, known)
    return frame, mentions, cluster_of, table[table["mentions"] >= min_count]


def discover_actors(
    sentences: pd.DataFrame,
    *,
    known: ActorDictionary | Iterable[str] | None = None,
    min_count: int = 2,
) -> pd.DataFrame:
    """Rank names that look like actors and are not in the dictionary yet.

    Parameters
    ----------
    sentences:
        Columns ``article_id``, ``sentence_id``, ``text``. Not modified.
    known:
        An :class:`~mediawork.actors.ActorDictionary` or a list of names; a
        candidate any of whose variants is a known name, alias, title or surname
        is left out.
    min_count:
        Keep candidates mentioned at least this many times.

    Returns
    -------
    pandas.DataFrame
        :data:`CANDIDATE_COLUMNS`: ``name`` (the fullest frequent variant),
        ``actor_type`` (person, organisation, place or other), ``variants``
        (``"; "``-joined surfaces), ``mentions``, ``articles``, ``score``
        (log2(1 + mentions) x (1 + log2 articles) x type confidence between 0.5 and
        1) and ``example`` (the first sentence naming it). Sorted by score
        (descending), then name.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "sentence_id": [0, 0], "text": [
    ...     "Kremlin aide Yuri Ushakov spoke in March.", "Mr. Ushakov said it went well."]})
    >>> discover_actors(s)[["name", "actor_type", "variants"]].values.tolist()
    [['Yuri Ushakov', 'person', 'Ushakov; Yuri Ushakov']]
    """
    _, _, _, table = _kept(sentences, known, min_count)
    table = table.sort_values(["score", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out = table[list(CANDIDATE_COLUMNS)].copy()
    for col in ("name", "actor_type", "variants", "example"):
        out[col] = out[col].astype("string")
    out["mentions"] = out["mentions"].astype("int64")
    out["articles"] = out["articles"].astype("int64")
    out["score"] = out["score"].astype("float64")
    return out


def discovered_mentions(
    sentences: pd.DataFrame,
    *,
    known: ActorDictionary | Iterable[str] | None = None,
    min_count: int = 2,
) -> pd.DataFrame:
    """Every mention of the candidates of :func:`discover_actors`, shaped like ``find_mentions``.

    Parameters
    ----------
    sentences, known, min_count:
        As for :func:`discover_actors`.

    Returns
    -------
    pandas.DataFrame
        :data:`mediawork.actors.MENTION_COLUMNS`; ``actor`` is the candidate's
        ``name``, ``surface`` the name as written without titles or possessive,
        ``origin`` is ``"discovered"``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 1], "text": [
    ...     "Envoy Kirill Dmitriev landed.", "Dmitriev's plan was new."]})
    >>> discovered_mentions(s)[["actor", "surface", "start", "end"]].values.tolist()
    [['Kirill Dmitriev', 'Kirill Dmitriev', 6, 21], ['Kirill Dmitriev', 'Dmitriev', 0, 8]]
    """
    frame, mentions, cluster_of, table = _kept(sentences, known, min_count)
    table = table.set_index("key")
    articles = frame["article_id"].tolist()
    ids = frame["sentence_id"].tolist()
    rows = []
    for m in mentions:
        key = cluster_of[id(m)]
        if key in table.index:
            rec = table.loc[key]
            rows.append((articles[m.row], ids[m.row], rec["name"], rec["actor_type"], m.text, m.start, m.end, "discovered"))
    return mentions_frame(rows)


def write_candidates(candidates: pd.DataFrame, path: str | Path) -> Path:
    """Write candidates to CSV for an analyst to review and promote into ``actors.yml``.

    Parameters
    ----------
    candidates:
        From :func:`discover_actors`. Not modified.
    path:
        A ``.csv`` file, or a folder to write ``actor_candidates.csv`` into.

    Returns
    -------
    pathlib.Path
        The file written (UTF-8, header row, no index).

    Examples
    --------
    >>> write_candidates(discover_actors(sentences), "reports")  # doctest: +SKIP
    PosixPath('reports/actor_candidates.csv')
    """
    missing = [c for c in CANDIDATE_COLUMNS if c not in candidates.columns]
    if missing:
        raise ParameterError(f"the candidates frame lacks column(s) {missing}; expected the output of discover_actors()")
    path = Path(path)
    if path.suffix.lower() != ".csv":
        path = path / "actor_candidates.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    candidates[list(CANDIDATE_COLUMNS)].to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(path)
    return path
