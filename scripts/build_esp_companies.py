"""Build data/esp_companies.csv: one row per distinct `esp` string in data/esp_reports.csv.

The mapping is the hand-maintained RULES table below: each rule is a regular expression
that must match a printed name in full (case-sensitive), followed by

* company          parent company / corporate group (one label per group, see LABEL NOTES)
* service_type     one of SERVICE_TYPES
* private_messages True / False; None where we could not establish it, written as
                   an empty cell (unknown) with the note saying "not established"
* note             why; marks judgement calls and ownership changes

The first matching rule wins. The script exits non-zero if any name in esp_reports.csv
has no rule (so a new year's names cannot slip through unmapped) or if a rule matches no
name (so stale rules are noticed).

Company labels: the parent company as of the LATEST year in which the printed name
appears; earlier owners are given in the note. A company that was only renamed keeps one
label (e.g. "Meta" for Facebook, Inc.; "X Corp. (Twitter)"; "Aylo (MindGeek)").
Ownership facts are general knowledge checked against the companies' own announcements
where it mattered (e.g. Imgur's blog, 2021-09-27, for MediaLab owning Imgur, Kik,
Whisper and Amino); the lesser ones are marked "ownership not verified".

Run from the repository root: .venv/bin/python -m scripts.build_esp_companies
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "esp_reports.csv"
OUT = ROOT / "data" / "esp_companies.csv"
COLUMNS = ["esp", "company", "service_type", "reporter_kind", "private_messages", "note"]
SERVICE_TYPES = {"social network", "messaging", "cloud storage", "search", "video",
                 "adult", "gaming", "other"}

T, F, U = True, False, None  # U: not established -> written empty (unknown), note says so
UNID = "service not identified from the printed name; private messaging not established"
JC = "judgement call: "
COMBINED = ("NCMEC's asterisk: report totals for related platforms and companies were "
            "combined in this line (which ones is not stated). ")

RULES: list[tuple[str, str, str, bool | None, str]] = [
    # --- Meta ---------------------------------------------------------------------------
    (r"Facebook\*", "Meta", "social network", T,
     "NCMEC's single combined line for all Meta services (Facebook, Messenger, Instagram, "
     "WhatsApp) in 2019-2020; company then named Facebook, Inc. (Meta since Oct 2021)."),
    (r"Facebook", "Meta", "social network", T,
     "Facebook incl. Messenger, printed separately from Instagram and WhatsApp from 2021."),
    (r"Instagram(, Inc\.)?", "Meta", "social network", T, "the whole Instagram service; it carries private messages (Instagram Direct)."),
    (r"WhatsApp( Inc\.)?", "Meta", "messaging", T, "end-to-end encrypted messenger."),
    (r"Threads", "Meta", "social network", F,
     JC + "Threads had no direct messages of its own in 2023-2024 (DMs were added in 2025)."),
    (r"Meta AI", "Meta", "other", F, "AI assistant (Grimm's name); chats are user-to-AI, not user-to-user."),
    (r"Oculus", "Meta", "gaming", T, JC + "VR platform with social/chat features."),
    (r"Novi", "Meta", "other", F, "Meta's (then Facebook's) digital wallet pilot."),
    (r"New Meta AB", "New Meta AB", "other", U,
     "NOT Meta Platforms: a separately named Swedish company (AB); " + UNID + "."),
    # --- Alphabet -----------------------------------------------------------------------
    (r"Google\*?", "Google (Alphabet)", "search", T,
     JC + "one line for all Google services (Search, YouTube, Drive/Photos, Gmail, Chat ...); "
     "service_type 'search' is a simplification; private_messages true because the line "
     "includes Gmail/Chat. 'Google*' (2019) carries NCMEC's combined-line asterisk."),
    # --- Microsoft ----------------------------------------------------------------------
    (r"Microsoft\*", "Microsoft", "other", T,
     COMBINED + "Microsoft's consumer services include Bing, OneDrive, Outlook, Skype, Xbox."),
    (r"Microsoft|Microsoft - Online Operations|Microsoft \(Online Operations\)", "Microsoft", "other", T,
     JC + "online services incl. Bing, OneDrive, Outlook, Skype."),
    (r"Microsoft - Xbox|Microsoft \(Xbox\)", "Microsoft", "gaming", T, "Xbox messages/party chat."),
    (r"Microsoft- other products|Microsoft \(Other Products\)", "Microsoft", "other", U,
     "products not named by NCMEC."),
    (r"LinkedIn( Corporation)?", "Microsoft", "social network", T, "LinkedIn messaging."),
    (r"GitHub", "Microsoft", "other", F, "code hosting."),
    # --- Amazon -------------------------------------------------------------------------
    (r"Amazon", "Amazon", "other", U,
     "plain 'Amazon' line; NCMEC does not say which services it covers."),
    (r"Amazon \(unlabelled sub-entry 1\)", "Amazon", "other", U,
     "Grimm's label for an unnamed Amazon line (presumably NCMEC's plain 'Amazon'); services not stated."),
    (r"Amazon Photos|Amazon \(Photos\)", "Amazon", "cloud storage", F, "photo storage."),
    (r"Amazon \(AI Services\)", "Amazon", "other", F, "AI services (Grimm's name)."),
    (r"Amazon Games", "Amazon", "gaming", T, JC + "online games with in-game chat."),
    (r"Amazon / Twitch", "Amazon", "video", T,
     "2020 combined Amazon and Twitch line (Twitch printed separately in 2019 and 2021+); "
     "Twitch has whispers (private messages)."),
    (r"Twitch( Interactive, Inc\.)?", "Amazon", "video", T, "live streaming; whispers (private messages)."),
    (r"Wickr( Inc\.)?", "Amazon", "messaging", T,
     "encrypted messenger; acquired by Amazon in June 2021 (independent in 2019)."),
    # --- other large groups ---------------------------------------------------------------
    (r"Apple( Inc)?", "Apple", "other", T, JC + "iCloud, iMessage and other Apple services."),
    (r"Snapchat|Snap", "Snap", "messaging", T, "Snapchat."),
    (r"TikTok\*?|TikTok Inc\.", "ByteDance", "video", T,
     "TikTok direct messages. 'TikTok*' (2020) carries NCMEC's combined-line asterisk."),
    (r"Lemon8", "ByteDance", "social network", U, "photo/lifestyle app; private messaging not established."),
    (r"Twitter|Twitter, Inc\.|Twitter, Inc\. / Vine\.co|X Corp|X", "X Corp. (Twitter)", "social network", T,
     "Twitter, Inc. until its 2022 acquisition, renamed X Corp. in 2023; direct messages. "
     "In 2023 NCMEC printed both 'Twitter, Inc. / Vine.co' and 'X Corp'. "
     "X Corp. became part of xAI Holdings in March 2025."),
    (r"X\.AI", "xAI", "other", F, "AI company (Grok), Grimm's name; merged with X Corp. in 2025."),
    (r"Automattic\*", "Automattic", "other", F,
     COMBINED + "Automattic runs WordPress.com and (since 2019) Tumblr."),
    (r"WordPress\.com \(Automattic\)|WordPress\.com/Automattic|Wordpress", "Automattic", "other", F,
     "blog hosting."),
    (r"Tumblr", "Automattic", "social network", T, "Tumblr messaging; owned by Automattic since 2019."),
    (r"MindGeek\*", "Aylo (MindGeek)", "adult", F, COMBINED + JC + "private_messages false for the video sites."),
    (r"MG Freesites( Ltd)?( \((dba )?(Pornhub|Redtube|Tube8|Youporn)\))?|Aylo Freesites Ltd \(dba (Pornhub|Tube8|Youporn)\)"
     r"|Aylo \((Pornhub|Redtube|Tube8|YouPorn)\)|MindGeek \(Pornhub\)", "Aylo (MindGeek)", "adult", F,
     JC + "adult video sites (MindGeek renamed Aylo in 2023); community messaging not counted."),
    (r"Aylo Social Ltd \(dba MyDirtyHobby\)|Aylo \(MyDirtyHobby\)", "Aylo (MindGeek)", "adult", T,
     JC + "amateur platform with user-performer messaging."),
    (r"Match Group\*|Match Group, LLC\*", "Match Group", "social network", T, COMBINED + "dating services."),
    (r"Match Group(, LLC)?|Tinder(, Inc\.)?|Hinge\.co|Okcupid|Okcupid\.com - Humor Rainbow, Inc\.|People Media",
     "Match Group", "social network", T, "dating service with user-to-user messages."),
    (r"The Meet Group\*|Meet Group\*", "The Meet Group", "social network", T,
     COMBINED + "MeetMe, Tagged, Skout and other apps; acquired by ParshipMeet in 2020."),
    (r"MeetMe|MeetMe\.com \(fka myYearbook\.com\)|Tagged|Tagged\.com|Skout|Skout\.com", "The Meet Group",
     "social network", T, "social/dating app with messaging; The Meet Group (ParshipMeet since 2020)."),
    (r"MediaLab AI\*", "MediaLab", "messaging", T,
     COMBINED + "MediaLab owns Kik (since 2019) and Whisper; Grimm files this line under Kik/MediaLab."),
    (r"MediaLab \(Kik\)|MediaLab/Kik|Kik", "MediaLab", "messaging", T, "Kik messenger."),
    (r"Whisper", "MediaLab", "social network", T, "anonymous app with private chat; owned by MediaLab."),
    (r"Imgur(, LLC)?", "Imgur", "other", T,
     JC + "image hosting with a community and private messages; labelled by the reporter of the time: Imgur was "
     "independent until MediaLab acquired it in Sept 2021 (later owner: MediaLab); printed as its own line in "
     "every year."),
    (r"Amino( Apps)?", "MediaLab", "social network", T,
     "community app with chats; owned by MediaLab (per Imgur's 2021 announcement); printed as its own line."),
    (r"Verizon Media", "Verizon", "other", T,
     JC + "Yahoo/AOL mail and portals (Verizon Media, sold to Apollo as Yahoo in 2021)."),
    (r"Yahoo!|Yahoo! Inc", "Yahoo (Apollo)", "other", T,
     JC + "portal and Yahoo Mail; Yahoo owned by Apollo Global Management since Sept 2021."),
    (r"Verizon Online|Verizon Online - Account #2 \(External\)|Verizon Wireless", "Verizon", "other", F,
     "internet/mobile access provider."),
    (r"IAC / excite / myway / zwinky / mindspark|IAC/excite/myway/zwinky/mindspark", "IAC", "search", F,
     "search/toolbar properties."),
    (r"Care\.com", "IAC", "other", T, JC + "caregiver marketplace with messaging; acquired by IAC in Feb 2020."),
    (r"Vimeo( LLC)?", "Vimeo", "video", U, "video hosting (IAC until its May 2021 spin-off); private messaging not established."),
    (r"Badoo|Bumble", "Bumble", "social network", T, "dating app with messaging; Badoo is part of Bumble Inc."),
    (r"Endurance International Group\*", "Newfold Digital", "other", F,
     COMBINED + "web hosting; Endurance merged with Web.com into Newfold Digital in 2021."),
    (r"Endurance International Group|Endurance Int'l Group, Inc\.|Web\.com/Network Solutions/ ?Register/ ?NameBargain",
     "Newfold Digital", "other", F, "web hosting / domains; Newfold Digital since the 2021 merger of Endurance and Web.com."),
    (r"GoDaddy|GoDaddy\.com/Wild West Domains|Registry Services, LLC \(GoDaddy Registry\)", "GoDaddy",
     "other", F, "domains / hosting."),
    (r"Afilias USA|Donuts|Identity Digital Inc\.", "Identity Digital", "other", F,
     "domain registry; Donuts bought Afilias (Dec 2020) and renamed itself Identity Digital (2022)."),
    (r"Slack Technologies(, Inc\.)?", "Salesforce", "messaging", T, "workplace messaging; Salesforce since July 2021."),
    (r"Life on Air \(Houseparty\)|Life on Air Inc/Houseparty", "Epic Games", "messaging", T,
     "Houseparty group video chat; Epic Games since 2019."),
    (r"Epic Games, Inc\.", "Epic Games", "gaming", T, "in-game chat."),
    (r"Guilded LLC", "Roblox", "messaging", T, "gaming chat service; Roblox since 2021."),
    (r"Roblox", "Roblox", "gaming", T, "in-game chat."),
    (r"deviantART|deviantART Inc\.|DeviantART, Inc\.", "Wix", "social network", T,
     "art community with private notes; owned by Wix since 2017."),
    (r"Wixpress \(Wix\)", "Wix", "other", F, "website builder."),
    (r"Weebly(, Inc\.)?", "Block (Square)", "other", F, "website builder; Square since 2018."),
    (r"Linode", "Linode", "other", F, "cloud hosting; independent in 2020-2021."),
    (r"Linode LLC", "Akamai", "other", F, "cloud hosting; Akamai since March 2022 (independent in 2019)."),
    (r"Giphy, Inc\.", "Giphy", "other", F, "GIF hosting; independent in 2019."),
    (r"Giphy", "Giphy", "other", F, "GIF hosting; labelled by the reporter: owned by Facebook (Meta) from May 2020 "
     "(printed 2020-2021), a line of its own, not one of Meta's apps."),
    (r"Giphy\.com", "Giphy", "other", F,
     "GIF hosting; labelled by the reporter: owned by Meta in 2022 and until its sale to Shutterstock in June 2023 "
     "(later owner: Shutterstock; printed 2022-2023)."),
    (r"Sony Interactive Entertainment", "Sony", "gaming", T, "PlayStation Network messages."),
    (r"Blizzard Entertainment \(World of Warcraft\)", "Activision Blizzard", "gaming", T, "in-game chat."),
    (r"Electronic Arts", "Electronic Arts", "gaming", T, JC + "online games with chat."),
    (r"GLU MOBILE", "Electronic Arts", "gaming", U, "mobile games; EA since April 2021."),
    (r"Take-Two Interactive Software(, Inc)?", "Take-Two Interactive", "gaming", T, JC + "online games with chat."),
    (r"The Walt Disney Company", "The Walt Disney Company", "other", U, "services not stated."),
    (r"The Rocket Science Group, LLC d/b/a MailChimp", "Intuit", "other", F, "email marketing; Intuit since Nov 2021."),
    (r"Momentive|Momentive Inc\.|SurveyMonkey", "Momentive (SurveyMonkey)", "other", F,
     "online surveys; SurveyMonkey renamed Momentive in 2021."),
    (r"West Interactive Services Corporation|Intrado Interactive Services Corporation", "Intrado", "other", U,
     "West Corporation renamed Intrado (2019); " + UNID + "."),
    (r"Cyveillance|LookingGlass Cyber Solutions(, Inc\.)?", "LookingGlass Cyber Solutions", "other", F,
     "threat intelligence (Cyveillance is part of LookingGlass); a finder of content, not a host."),
    (r"Softlayer", "IBM", "other", F, "cloud hosting."),
    (r"Sprint Nextel", "T-Mobile", "other", F, "mobile carrier; merged into T-Mobile in April 2020."),
    (r"AT&T WorldNet Service", "AT&T", "other", F, "internet access provider."),
    (r"Stack Exchange, Inc\.", "Prosus", "social network", F, "Q&A sites without private messages; Prosus since 2021."),
    (r"TMTG, Corp\.", "Trump Media & Technology Group", "social network", T, JC + "Truth Social with direct messages."),
    (r"Vistaprint", "Cimpress", "other", F, "printing."),
    (r"Fenix International Limited( \(OnlyFans\))?", "Fenix International (OnlyFans)", "adult", T,
     "OnlyFans; creator-subscriber messages."),
    (r"Select Media LLC \(Fansly\)", "Select Media (Fansly)", "adult", T, "creator-subscriber messages."),
    (r"Various, Inc\./FriendFinder/Tangotime|Various/FriendFinder/Tangotime|Various, Inc\. / FriendFinder/ Tangotime",
     "FriendFinder Networks", "adult", T, "adult dating with messaging."),
    (r"Multi Media, LLC/Zmedianow, LLC/ ?Chaturbate|Multi Media/Zmedianow/Chaturbate", "Multi Media (Chaturbate)",
     "adult", T, JC + "live cams with private chat."),
    (r"Scruff App/Perry Street Software(, Inc)?|Scruff App \(Perry Street Software\)", "Perry Street Software",
     "social network", T, "dating app with messaging."),
    (r"Niteflirt/Phrendly\.com/Platphorm(, LLC)?|Niteflirt / Phrendly\.com / Platphorm, LLC", "Platphorm",
     "adult", T, "paid chat/call services."),
    (r"Tropical Sun \(Clips4Sale\)|Tropical Sun, Ltd\. d/b/a Clips4Sale\.com", "Tropical Sun (Clips4Sale)",
     "adult", F, "adult clip store."),
    (r"JNJ Mobile.*MocoSpace\)?", "JNJ Mobile (MocoSpace)", "social network", T, "chat/social site."),
    (r"Linden Lab ?\(SecondLife\)|Linden Lab/ ?SecondLife", "Linden Lab", "gaming", T, "Second Life virtual world with IM."),
    (r"WildWorks(, Inc\. / AnimalJam| \(AnimalJam\))?", "WildWorks", "gaming", T, "Animal Jam, children's game with chat."),
    (r"Alpha Exploration Co.*", "Alpha Exploration Co. (Clubhouse)", "social network", T,
     JC + "audio social network with private 'backchannel' messages (from 2021)."),
    (r"Get Together \(IRL\)|Get Together, Inc\. \(d\.b\.a IRL\)", "Get Together (IRL)", "messaging", T, "group chat app."),
    (r"Hacker Factor", "Hacker Factor", "other", F, "FotoForensics image analysis; not a host of user communication."),
    (r"Bluesky PBC", "Bluesky", "social network", F, "no direct messages in 2023 (added May 2024)."),
    (r"Bluesky", "Bluesky", "social network", T, "direct messages since May 2024 (Grimm's name, 2024-2025)."),
    (r"Mastodon gGmbH", "Mastodon gGmbH", "social network", T, JC + "mastodon.social; 'direct' (private) posts."),
    (r"Fediverse Communications LLC", "Fediverse Communications", "social network", U,
     "presumably a fediverse instance host (from the name); private messaging not established."),
    (r"kbin\.run|Lemdro\.id", r"\g<0>", "social network", U,
     "fediverse instance (kbin / Lemmy software, from the name); private messaging not established."),
    (r"nostr\.build", "nostr.build", "other", F, "media hosting for Nostr."),
    (r"Take It Down", "NCMEC", "other", F,
     "NCMEC's own hash-reporting service for minors' images; not a company service."),
    (r"INHOPE\*?", "INHOPE", "other", F,
     "international association of internet hotlines, not an online service. 'INHOPE*' (2020) carries "
     "NCMEC's combined-line asterisk."),
    (r"Thorn", "Thorn", "other", F, "non-profit (Safer tool); not an online service for users."),
    (r"National Center on Sexual Exploitation", "National Center on Sexual Exploitation", "other", F,
     "advocacy organisation, not an online service."),
    (r"Stanford Internet Observatory", "Stanford University", "other", F, "research group, not an online service."),
    (r"Center for International Cyber Intelligence", "Center for International Cyber Intelligence", "other", F,
     "not an online service for users."),
    (r"Globtech\*", "Globtech", "other", U, COMBINED + UNID + "."),
    (r"OTI Holdings,Inc\.\*", "OTI Holdings", "other", U, COMBINED + UNID + "."),
    # --- single services: messaging / social -------------------------------------------
    (r"Discord( Inc\.)?", "Discord", "messaging", T, ""),
    (r"Omegle(\.com LLC)?", "Omegle", "messaging", T, "random text/video chat; closed Nov 2023."),
    (r"Chatrandom|chat4free|Chatango( LLC)?", r"\g<0>", "messaging", T, "chat service."),
    (r"Pinger(, Inc\.)?", "Pinger", "messaging", T, "texting/calling apps."),
    (r"Remind", "Remind", "messaging", T, "school messaging."),
    (r"RingCentral", "RingCentral", "messaging", T, "business communications."),
    (r"Zello", "Zello", "messaging", T, "push-to-talk voice messaging."),
    (r"Zoom Video Communications(, Inc)?", "Zoom", "messaging", T, "video meetings and chat."),
    (r"Airtime Media( Inc\.)?", "Airtime Media", "messaging", T, "group video chat app."),
    (r"myrete/whoshere", "myrete (WhosHere)", "messaging", T, "location-based chat app."),
    (r"Rabbit", "Rabbit", "video", T, JC + "watch-together app with chat."),
    (r"Evasyst|Evasyst, Inc\. \(dba Kast\)", "Evasyst (Kast)", "video", T, JC + "watch-party app with chat."),
    (r"Intercom", "Intercom", "messaging", T, JC + "business-to-customer chat software."),
    (r"Grindr", "Grindr", "social network", T, "dating app with messaging."),
    (r"Pinterest( Inc\.)?", "Pinterest", "social network", T, "Pinterest messages."),
    (r"Reddit(, Inc\.)?", "Reddit", "social network", T, "private messages / chat."),
    (r"Quora", "Quora", "social network", T, "Q&A with private messages."),
    (r"4chan|4chan community support LLC", "4chan", "social network", F, "anonymous public image boards."),
    (r"MeWe|CounterSocial|NextDoor(, Inc)?|SimilarWorlds|Tsu(, Inc)?|Vero Labs(, Inc\.)?|Yubo|Wink|Patook( LLC)?"
     r"|Gab AI Inc\.|YikYak|TrevorSpace|IMVU(, [Ii]nc\.)?|Classmates Online|ProBoards|Sniffies(, LLC)?"
     r"|HER App|Down App, Inc\.|Izeo Dating Ltd",
     r"\g<0>", "social network", T, JC + "social, dating or forum service with user-to-user messages."),
    (r"Ask\.fm", "Ask.fm", "social network", F,
     JC + "anonymous Q&A: questions are sent privately but answered publicly; no messaging."),
    (r"Ello\.co", "Ello", "social network", F, JC + "art social network without private messaging."),
    (r"Smule", "Smule", "social network", T, JC + "karaoke app with messaging."),
    (r"Younow|Younow\.com", "YouNow", "video", U, "live streaming; private messaging not established."),
    (r"LiveMe", "LiveMe", "video", U, "live streaming; private messaging not established."),
    (r"Medal\.tv", "Medal", "gaming", U, "gaming clip sharing; private messaging not established."),
    (r"Movie Star Planet|Toontown Rewritten|Rec Room|PocketzWorld Inc", r"\g<0>", "gaming", T,
     JC + "online game / virtual world with chat."),
    (r"Wildlife Studios|Big Fish Games|Niantic Labs|Pokemon", r"\g<0>", "gaming", U,
     "game publisher; in-game private messaging not established."),
    (r"LEGO System( A/S)?", "The LEGO Group", "gaming", F, JC + "children's apps without free-text messaging."),
    (r"Wikimedia( Foundation( Inc\.)?)?", "Wikimedia Foundation", "other", F,
     "Wikipedia/Wikimedia Commons; user talk pages are public, email-user is relayed email: not counted."),
    (r"Scratch Foundation", "Scratch Foundation", "other", F, "children's coding community; no private messaging."),
    (r"Megapersonals|My Free Cams|Streamate", r"\g<0>", "adult", T, JC + "adult personals/cams with messaging."),
    (r"gayboystube|motherless|RedGIFs|Redgifs(\.com)?|9Cloud / luscious", r"\g<0>", "adult", F,
     JC + "adult media hosting."),
    (r"SocialCo Media LLC/TrueNudists\.com", "SocialCo Media", "social network", U,
     "nudist social site; private messaging not established."),
    # --- video / hosting / storage ------------------------------------------------------
    (r"Interspace Technologies \(Byte\)", "Interspace Technologies (Byte)", "video", U, "short-video app."),
    (r"LBRY INC|Veoh Networks|Streamable.*|sendvid|Wistia Inc\.", r"\g<0>", "video", F, "video hosting."),
    (r"Dropbox(, Inc\.)?|Box|Box , Inc\. / Box\.com|MediaFire|4shared|Bublup(, Inc\.)?|WeTransfer"
     r"|Synchronoss Technologies(, Inc)?", r"\g<0>", "cloud storage", F, "file storage / sharing."),
    (r"Mega", "Mega", "cloud storage", T, JC + "encrypted cloud storage with built-in chat."),
    (r"Photobucket(\.com)?|SmugMug-Flickr|Imagebam.*[Vv]ideobam|Image Chest|ThumbSnap|Pixshare\.de/Pixshare\.org"
     r"|Haschek Solutions|Lain\.la|Internet Archive",
     r"\g<0>", "other", F, JC + "image/file hosting or archive; messaging not counted."),
    (r"Cloudflare(, Inc\.)?|CloudFlare, Inc|Digital Ocean|OVH US( LLC)?|Internap Corporation \(INAP\)"
     r"|Deluxe Corporation/ColoCrossing ?/ HudsonValleyHost|EasyOnlineSolutions.*|Hosting Services Inc/Midphase.*"
     r"|HostMantis|KnownHost/ ?PrivateSystems Networks|Nexeon Technologies|Reflected Networks(, Inc)?"
     r"|StackPath(, LLC)?/Highwinds|Edgecast Networks Inc|Vercel Inc\.|Hewlett Packard Enterprise"
     r"|Easynews ?/ ?Newshosting ?/ ?Usenetserver",
     r"\g<0>", "other", F, "hosting / CDN / Usenet infrastructure."),
    (r"Enom|Name\.com|NameCheap(\.com)?|Porkbun( LLC)?|Dynadot|Directnic\.com|Club Domains, LLC"
     r"|Public Interest Registry|VeriSign(, Inc\.)?|Neustar|FreeDNS\.Afraid\.org",
     r"\g<0>", "other", F, "domain registry / registrar / DNS."),
    (r"Comcast Cable Communications(, LLC)?|Cogent Communications|Frontier Communications of America, Inc\.",
     r"\g<0>", "other", F, "internet access / transit provider."),
    (r"Absolute Software Corporation|ActiveFence|Arctic Wolf Networks, Inc\.|Bark Technologies( Inc)?|Checkstep"
     r"|Cloudmark, Inc\.|Gaggle|Gaggle\.Net, Inc\.|GoGuardian|LegitScript(, LLC)?|Lightspeed Systems"
     r"|Marinus Analytics.*|MMGuardian|Securly|Sykes|Uncharted Software( Inc)?|ZeroFox|Zvelo",
     r"\g<0>", "other", F, "safety / security / moderation / monitoring vendor, not a user service."),
    # --- marketplaces and other services -----------------------------------------------
    (r"Airbnb(, Inc\.)?|Ebay( Inc\.)?|eBay Inc\.|Etsy(, Inc\.)?|Letgo/Ambatana|Mercari|OfferUp"
     r"|Thumbtack|Upwork|Indeed(, Inc)?|StarNow|Patreon|Yelp Inc\.|JustAnswer|Outschool|ClassDojo Inc\.",
     r"\g<0>", "other", T, JC + "marketplace / platform with messaging between users (e.g. buyer and seller)."),
    (r"Depop Ltd", "Etsy", "other", T, JC + "resale marketplace with buyer-seller messages; Etsy since July 2021."),
    (r"Hopin Ltd\.", "Hopin", "video", U, "virtual events platform; private messaging not established."),
    (r"Craigslist", "Craigslist", "other", F, JC + "classifieds; contact by relayed email, not counted as messaging."),
    (r"Adobe|Adobe Systems Incorporated", "Adobe", "other", F, "creative software / cloud."),
    (r"Ancestry\.com|Bitly|Brainly, Inc|Cafepress|Canva|Code\.org|Coinbase|Dreamstime\.com(, LLC)?|Fracture"
     r"|GoFundMe(, Inc\.)?|Gumroad|Medium|Mozilla Corporation|Notion Labs(, Inc\.)?|OpenSea|Padlet.*|PayPal( Inc\.)?"
     r"|PicsArt|RealNetworks(, Inc\.)?|Redbubble( Inc\.)?|Replit Inc|Shutterfly|Spotify USA( Inc\.)?"
     r"|Squarespace(, Inc\.)?|Stripe|Substack, Inc|Taboola|Tripadvisor LLC|Zendesk( Inc\.)?|Asurion Corporation",
     r"\g<0>", "other", F, JC + "no user-to-user private messaging counted."),
    (r"OpenAI|Anthropic", r"\g<0>", "other", F, "AI company; chats are user-to-AI."),
    # --- not identified ------------------------------------------------------------------
    (r"7web|Affinity Apps(, LLC)?|Alterweb Kft|animebw|Antheia Services Limited|Apricot Digitals( LLC)?"
     r"|Archer - GDA, LLC|Ariemgroup Limited|atsuchanpage|Badeyra Services S/A|BashTech, LLC|BigBang Media(, LLC)?"
     r"|Blue Vision|Digital Nomad, Ltd|Display Social, Inc\.|Forward Handle, LLC|Fotoloce|GF Networks( Ltd)?"
     r"|Globtech( LLC)?|Heolkek Cafe|HowlogicKFT|InfraWeb Solution Limited|JMS Internet.*"
     r"|Joyo Technology Pte|Kaleton Web S\.R\.O|Luftgescheft|Marbore Web Solutions Limited|McRetro\.net|Milada Ltd\."
     r"|Nektun Limited|NEOSOLUT WEB SERVICES( LTD)?|Norfex Services Ltd|NorfexHoldingsLimited|Northlock Holdings Limited"
     r"|OTI Holdings|Orbiseen s\.r\.o|PocketStars|PORTICATO MEDIA( LTD)?|Ravex Web s\.r\.o\.|Saturn Technologies"
     r"|Schoolhouse World Inc|Skynet|Social Minds ApS|Sohosolutions|SR LIMNATIS HOLDINGS LTD Hungarian Branch Office"
     r"|Stelivo(, LLC)?|Stolichnaq|SynaptiCAD(, Inc)?|TECH MEDIALAND KFT|UNDECAGON Kft\.|Visual Lead"
     r"|Visual Supply Company( \(VSCO\))?|Voice|Vokal \(First Media\)|x-up\.ws|Xymara Ltd",
     r"\g<0>", "other", U, UNID + "; company label = the printed name."),
]

# Company labels for rules that use the printed name (\g<0>) but should share one label
# across spelling variants of the same company.
CANONICAL = [
    (r"Ebay( Inc\.)?|eBay Inc\.", "eBay"), (r"Etsy.*", "Etsy"), (r"Airbnb.*", "Airbnb"),
    (r"Indeed.*", "Indeed"), (r"Dropbox.*", "Dropbox"), (r"Box.*", "Box"), (r"Bublup.*", "Bublup"),
    (r"Synchronoss.*", "Synchronoss Technologies"), (r"Photobucket.*", "Photobucket"),
    (r"Imagebam.*", "Imagebam / Flixya Entertainment"), (r"Cloudflare.*|CloudFlare.*", "Cloudflare"),
    (r"OVH.*", "OVH"), (r"Deluxe.*", "Deluxe Corporation (ColoCrossing)"), (r"EasyOnlineSolutions.*", "MojoHost"),
    (r"Hosting Services Inc.*", "Hosting Services Inc (Midphase, WestHost)"), (r"KnownHost.*", "KnownHost"),
    (r"Reflected Networks.*", "Reflected Networks"), (r"StackPath.*", "StackPath"),
    (r"Easynews.*", "Easynews / Newshosting"), (r"NameCheap.*", "Namecheap"), (r"Porkbun.*", "Porkbun"),
    (r"VeriSign.*", "VeriSign"), (r"Comcast.*", "Comcast"), (r"Bark.*", "Bark Technologies"),
    (r"Gaggle.*", "Gaggle"), (r"LegitScript.*", "LegitScript"), (r"Marinus.*", "Marinus Analytics"),
    (r"Uncharted.*", "Uncharted Software"), (r"Dreamstime.*", "Dreamstime"), (r"GoFundMe.*", "GoFundMe"),
    (r"Notion.*", "Notion Labs"), (r"Padlet.*", "Padlet"), (r"PayPal.*", "PayPal"),
    (r"RealNetworks.*", "RealNetworks"), (r"Redbubble.*", "Redbubble"), (r"Spotify.*", "Spotify"),
    (r"Squarespace.*", "Squarespace"), (r"Zendesk.*", "Zendesk"), (r"Streamable.*", "Streamable"),
    (r"Affinity Apps.*", "Affinity Apps"), (r"Apricot Digitals.*", "Apricot Digitals"),
    (r"BigBang Media.*", "BigBang Media"), (r"GF Networks.*", "GF Networks"), (r"Globtech.*", "Globtech"),
    (r"JMS Internet.*", "JMS Internet"), (r"NEOSOLUT.*", "NEOSOLUT WEB SERVICES"),
    (r"Norfex.*", "Norfex"), (r"PORTICATO.*", "PORTICATO MEDIA"), (r"Stelivo.*", "Stelivo"),
    (r"SynaptiCAD.*", "SynaptiCAD"), (r"Visual Supply Company.*", "Visual Supply Company (VSCO)"),
    (r"NextDoor.*", "Nextdoor"), (r"Tsu.*", "Tsu"), (r"Vero Labs.*", "Vero Labs"), (r"Patook.*", "Patook"),
    (r"Gab AI.*", "Gab AI"), (r"IMVU.*", "IMVU"), (r"Sniffies.*", "Sniffies"), (r"Redgifs.*|RedGIFs", "RedGIFs"),
    (r"Chatango.*", "Chatango"), (r"Omegle.*", "Omegle"),
]


#: Reporters that are not online services for users: hotlines, non-profits, research groups,
#: safety and monitoring vendors, and NCMEC's own Take It Down. Their reports are part of
#: NCMEC's printed totals, so they stay in every table; `reporter_kind` lets chapters set
#: them apart. Each label's mapping note must say so (checked below), and no other note may.
NOT_ONLINE_SERVICES = {
    "Absolute Software Corporation", "ActiveFence", "Arctic Wolf Networks, Inc.", "Bark Technologies",
    "Center for International Cyber Intelligence", "Checkstep", "Cloudmark, Inc.", "Gaggle", "GoGuardian",
    "Hacker Factor", "INHOPE", "LegitScript", "Lightspeed Systems", "MMGuardian", "Marinus Analytics",
    "NCMEC", "National Center on Sexual Exploitation", "Securly", "Stanford University", "Sykes", "Thorn",
    "Uncharted Software", "ZeroFox", "Zvelo",
}
NOT_A_SERVICE_NOTE = re.compile(r"not an online service|not a user service|not a company service|"
                                r"not a host of user communication")


def map_name(name: str, used: list[int]) -> dict | None:
    for i, (pat, company, stype, pm, note) in enumerate(RULES):
        m = re.fullmatch(pat, name)
        if m:
            used[i] += 1
            comp = m.expand(company) if "\\g<" in company else company
            for cpat, label in CANONICAL:
                if "\\g<" in company and re.fullmatch(cpat, name):
                    comp = label
                    break
            if pm is None and "not established" not in note:
                note = (note + " " if note else "") + "Private messaging not established."
            kind = "not an online service" if comp in NOT_ONLINE_SERVICES else "online service"
            return {"esp": name, "company": comp, "service_type": stype, "reporter_kind": kind,
                    "private_messages": "" if pm is None else "true" if pm else "false", "note": note}
    return None


def main() -> None:
    with REPORTS.open(newline="", encoding="utf-8") as f:
        names = sorted({r["esp"] for r in csv.DictReader(f)})
    used = [0] * len(RULES)
    out, missing = [], []
    for name in names:
        row = map_name(name, used)
        (out.append(row) if row else missing.append(name))
    errors = []
    if missing:
        errors.append(f"{len(missing)} esp name(s) without a rule: {missing}")
    for row in out:
        says = bool(NOT_A_SERVICE_NOTE.search(row["note"]))
        if says != (row["reporter_kind"] == "not an online service"):
            errors.append(f"{row['esp']!r}: reporter_kind {row['reporter_kind']!r} disagrees with its note")
    unused = NOT_ONLINE_SERVICES - {row["company"] for row in out}
    if unused:
        errors.append(f"NOT_ONLINE_SERVICES labels not used by any name: {sorted(unused)}")
    stale = [RULES[i][0] for i, n in enumerate(used) if n == 0]
    if stale:
        errors.append(f"rule(s) matching no name: {stale}")
    bad = sorted({r["service_type"] for r in out} - SERVICE_TYPES)
    if bad:
        errors.append(f"service_type outside the fixed list: {bad}")
    if errors:
        raise SystemExit("build_esp_companies.py: " + "; ".join(errors))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(out)} rows)", file=sys.stderr)


if __name__ == "__main__":
    main()
