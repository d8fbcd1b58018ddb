"""Word lists the extraction rules read: cues for organizations, policies, people and titles.

Kept apart from the rules so that they can grow without touching code.
"""
from __future__ import annotations

#: A capitalized name ending in (or headed by) one of these is an organization.
ORG_HEADS = frozenset("""
Group Corporation Corp Corp. Company Co Co. Ltd Ltd. Limited Inc Inc. LLC L.L.C. PLC plc Plc
Holdings Holding AG SA S.A. GmbH NV N.V. BV AB ASA Oyj KK K.K. JSC PJSC Pty Bhd Berhad SpA S.p.A.
Technologies Technology Industries Industry Partners Ventures Bank Trust Capital Energy
Mining Minerals Metals Materials Resources Chemical Chemicals Magnetics Magnets Electric Motors
Ministry Department Agency Commission Committee Council Office Administration Bureau Authority
Institute University College Laboratory Laboratories Lab Exchange Association Society Parliament
Congress Senate Government Army Navy Force Forces Party Alliance Organisation Organization Center
Centre Corps Service Survey Board Court Tribunal Forum Consortium Federation Union Cabinet Partnership
Secretariat Directorate Academy Foundation Network Institution Chamber Coalition Presidency
""".split())

#: A capitalized name ending in one of these is a policy.
POLICY_HEADS = frozenset("""
Session Plenum Fund Act Acts Plan Strategy Program
Programme Initiative Regulation Regulations Law Laws Order Directive
Framework Mission Policy Treaty Accord Protocol Roadmap Blueprint Bill Decree Directive Rules
Measures Mechanism Facility Scheme Deal Tariffs Tariff Quota Quotas Controls Ban List Agenda
""".split())

#: Policy heads that need more than a bare head to be a policy (e.g. "Facility" alone).
WEAK_POLICY_HEADS = frozenset("Fund Facility Deal List Rules Measures Mechanism Agenda Mission".split())

#: Small words allowed inside a capitalized name ("Department of Defense").
NAME_CONNECTORS = frozenset("of and for the & de du la le des der von van on in to".split())

#: Sentence-initial or generic capitalized words that never start a name.
NOT_NAME_START = frozenset("""
The A An This That These Those It Its Their Our Your His Her We They He She I In On At By For From
With Without As After Before During While Since Although Though But And Or If When Where Which Who
What Why How Once Under Over Through Into About Between Among Across Also Meanwhile However Today
Yesterday Earlier Later Last Next Both Each Every All Some Many Most Several Other Another Such
Key Major Senior Former Current Then
Highlights Disclaimer Table Contents Read Share Related Photo Image Source Sources Click Subscribe
Advertisement According Following Here There Now Not No Yes Why
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""".split())

#: Words that end a title before the organization ("chief executive of").
TITLE_WORDS = frozenset("""
president vice ceo cfo coo cto chief executive officer chairman chairwoman chairperson chair
director managing general manager head founder co-founder cofounder minister secretary deputy
governor mayor senator representative ambassador commissioner administrator spokesperson
spokesman spokeswoman member leader premier chancellor principal partner treasurer counsel
adviser advisor advisory analyst engineer professor researcher scientist official officer
party chief commander general lieutenant undersecretary under-secretary assistant acting
senior regional political board non-executive independent founding executive-director
owner prime state supervisor inspector auditor board-member trustee
""".split())

#: Cue words that mark the next capitalized words as a person's name.
PERSON_CUES = frozenset("""
Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Sir Dame Lord President Minister Secretary
Senator Governor Mayor Premier Chancellor Ambassador Commissioner Chairman Chairwoman CEO
Director Rep. Sen. Gov. Congressman Congresswoman Representative Officer
""".split())

#: Verbs after a name that mark it as a person ("Lacaze said").
PERSON_VERBS = frozenset("said says told added noted stated explained commented wrote "
                         "announced stressed warned".split())

#: Common Chinese surnames in pinyin: "Du Fenglian", "Wang Wentao".
CHINESE_SURNAMES = frozenset("""
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng Liang
Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Du Dai Xia Zhong Wei Jiang
Shen Lu Jin Cui Ren Yu Ding Qian Fan Fang Shi Yao Tan Liao Zou Xiong Qiu Qin Jia Yin Meng Xue
Yan Duan Lei Hou Long Tao Bai Mao Hao Kong Shao Wan Gu Lai Wen Kang Niu Hong Ning Miao Qi Ge
""".split())

#: Acronyms in capitals that are not actors.
NOT_ACTOR_ACRONYMS = frozenset("""
ESG CEO CFO COO CTO REE REEs HREE LREE NdPr NdFeB GDP ETF IPO USD AUD EUR RMB CNY MOU MoU
PPP JV R&D AI EV EVs REO TREO MREC MRE HPMS OEM OEMs LNG LCE FOB CIF YoY QoQ Q1 Q2 Q3 Q4 FY AM PM UTC GMT TV PDF
HTML URL FAQ PR NYSE ASX TSX LSE AIM KT TPA PDT CO2 ESG EST CST
""".split())

#: Org heads that name an organization only after a distinctive word ("Iluka Resources",
#: not "Critical Minerals").
WEAK_ORG_HEADS = frozenset("""
Energy Mining Minerals Metals Materials Resources Technologies Technology Industries Industry
Capital Chemical Chemicals Magnetics Magnets Electric Motors Fund Trust Network Partners Service
Union Force Forces Center Centre Board Forum Lab Office Consortium
""".split())

#: Descriptive capitalized words that do not make a name distinctive.
GENERIC_WORDS = frozenset("""
Rare Earth Earths Element Elements Autonomous Special Administrative Head Corporate Main Registered
Oil Gas Export Finance Infrastructure Division Divisions Interior Nation Central Undertaking Phase
Facilities Regulation Administration Department Group Resume Aim Securities Review Reform Development
Stock Joint Critical Strategic Clean Green Heavy Light Advanced Domestic
Global National International American Chinese Australian European Japanese Western New Key
Magnet Magnets Metal Metals Mineral Minerals Material Materials Mining Energy Battery Batteries
Supply Chain Chains Industrial Processing Separation Technology Technologies Resource Resources
Sustainable Renewable Electric Vehicle Vehicles Defense Defence Security Economic High Low Tech
Research Innovation Development Production Manufacturing Investment Trade Market Markets Oxide
Total Annual First Second Third Fourth Fifth Major Leading Top Big Small Large Mid Midstream
Upstream Downstream Permanent Alloy Alloys Future Emerging Independent Public Private Joint
""".split())

#: A capitalized name headed by one of these is a place ("Gulf Coast of Texas").
PLACE_HEADS = frozenset("""
Coast Basin Valley Mountains Mountain River Lake Province Prefecture County Region District
Township Island Islands Bay Gulf Sea Peninsula Zone Estate Hills Hill Mine Deposit Plateau Desert
Plant Refinery Smelter
Creek Range Park Port Harbour Harbor Strait Delta Territory
""".split())

#: Adjectives that may begin a name ("Australian Securities Exchange", "National Emergencies
#: Act") or merely describe one ("Japanese Dong Pao Rare Earth Development Co").
DESCRIPTORS = frozenset("""
Chinese American Australian Japanese European Western Eastern Northern Southern Domestic Global
National International Federal State Local Regional Foreign Canadian British Indian Korean
Malaysian Vietnamese Brazilian Russian German French Estonian Myanmar Burmese US U.S. UK EU
""".split())

#: Ranks and titles that may stand before a person's name and are not part of it.
NAME_TITLES = frozenset("""
Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Sir Dame Lord President Vice Minister Secretary
Senator Sen. Governor Gov. Mayor Premier Chancellor Ambassador Commissioner Chairman Chairwoman
CEO Director Rep. Colonel Col. General Gen. Lieutenant Lt. Major Maj. Captain Capt. Admiral
Commander Brigadier Chief Officer Deputy Congressman Congresswoman Representative Councillor
Councilor Spokesperson Spokesman Spokeswoman Chair Founder Co-founder Director-General
Executive Managing Prime Foreign Defence Defense Trade Commerce
Energy Finance Industry Treasurer Attorney Speaker Sheikh King Queen Prince Princess Judge Justice
""".split())

#: Tokens after which a number belongs to the name ("Executive Order 13953", "Section 232").
NUMBERED = frozenset("Order Section Resolution No. Number Decree Announcement Notice Article".split())
