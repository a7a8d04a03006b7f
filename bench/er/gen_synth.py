#!/usr/bin/env python3
"""Deterministic generator of a multi-agency synthetic person set "of the same
kind" as ../shared/data/er/synth_200k.csv.gz (same columns, same kinds of noise).

usage: gen_synth.py OUT.csv.gz [--records N] [--seed S] [--compare REF.csv.gz]

Stdlib only. Properties copied from synth_200k (measured there, see --compare):
cluster sizes 1..6 (55% singletons), 6 agency sources in equal shares,
nationality mix (GBR, AFG, IRQ, IRN, SYR, ALB, ERI, SDN, VNM, EGY), small name
pools with romanisation variants (Mohammed / Muhammad / Mohamed; Abdelrahman /
Abdul Rahman / Abd al-Rahman; Vietnamese with and without diacritics), upper
case or title case, given name and surname swapped, day and month swapped,
year off by one or two, 1 January placeholder dates, missing fields, phones in
national / +CC / 00CC forms with or without spaces, households sharing an
address and a phone, a second address or phone for the same person, typos in
names, passports and cities.
"""
import argparse
import csv
import gzip
import random
import sys
import time
from collections import Counter

COLUMNS = ["record_id", "cluster_id", "source", "given_name", "surname", "dob", "sex",
           "nationality", "phone", "passport_no", "address", "city", "postcode"]
SOURCES = ["POLICE_SCOT", "HO_IMMIGRATION", "POLICE_MET", "BORDER_FORCE", "NCA", "EUROPOL"]
# cluster-size distribution of synth_200k (clusters of 1..6 records)
SIZE_WEIGHTS = [60387, 27544, 10982, 5513, 3334, 2130]
# nationality of the person (the truth), shares close to synth_200k's non-missing values
NAT_WEIGHTS = {"GBR": 24.6, "AFG": 13.9, "IRQ": 10.2, "IRN": 10.2, "SYR": 9.0, "ALB": 8.0,
               "ERI": 7.9, "SDN": 5.9, "VNM": 5.8, "EGY": 4.2}
CC = {"GBR": "44", "AFG": "93", "IRQ": "964", "IRN": "98", "SYR": "963", "ALB": "355",
      "ERI": "291", "SDN": "249", "VNM": "84", "EGY": "20"}

# Name pools: each entry is a group of romanisation variants of one name; the
# first spelling is the most common one.
ARABIC_M = ["Mohammed|Muhammad|Mohamed|Mohammad|Muhammed|Mohamad", "Ahmed|Ahmad|Ahmet",
            "Abdelrahman|Abdul Rahman|Abd al-Rahman|Abdulrahman|Abdelrahmane",
            "Abdelaziz|Abdul Aziz|Abd al-Aziz|Abdulaziz", "Mustafa|Mostafa|Moustafa",
            "Mahmoud|Mahmud|Mahmood", "Khalil|Khaleel|Halil", "Youssef|Yusuf|Yousef|Yusef",
            "Omar|Umar|Omer", "Hussein|Husain|Hussain|Husayn", "Ali|Aly", "Hassan|Hasan|Hasen",
            "Ibrahim|Ebrahim|Ibraheem", "Khaled|Khalid|Khaled", "Belal|Bilal", "Tarek|Tariq|Tarik",
            "Saleh|Salih|Salah", "Nasser|Nasir|Naser", "Karim|Kareem", "Osman|Othman|Uthman",
            "Adel|Adil", "Jamal|Gamal", "Walid|Waleed", "Hamza|Hamzah", "Yasser|Yasir|Yaser",
            "Abdullah|Abdallah|Abdulla", "Fadi|Fady", "Rami|Ramy", "Samir|Sameer", "Majed|Majid"]
ARABIC_F = ["Fatima|Fatma|Fatemah", "Aisha|Ayesha|Aysha", "Mariam|Maryam|Miriam", "Noor|Nour|Nur",
            "Amal|Amel", "Huda|Hoda", "Rania|Raniya", "Salma|Selma", "Layla|Leila|Laila",
            "Zainab|Zeinab|Zaynab", "Khadija|Khadijah|Hadija", "Samira|Sameera", "Rasha|Racha",
            "Hanan|Hanane", "Yasmin|Yasmine|Jasmin"]
ARABIC_S = ["Mahmoud|Mahmud|Mahmut", "Abdelrahman|Abdul Rahman|Abd al-Rahman|Abdulrahman",
            "Khalil|Khaleel", "Saleh|Salih", "Karim|Kareem", "Nasser|Naser", "Hassan|Hasan",
            "Hussein|Husain|Hussain", "Ibrahim|Ebrahim", "Osman|Othman", "Mohamed|Mohammed|Muhammad",
            "Aziz|Azeez", "Al-Hassan|Al Hassan|Alhassan", "El-Sayed|El Sayed|Elsayed",
            "Abdallah|Abdullah", "Haddad|Hadad", "Mansour|Mansur", "Suleiman|Sulaiman|Soliman",
            "Youssef|Yusuf", "Omar|Umar", "Ali|Aly", "Bakr|Bakir", "Farouk|Faruq",
            "Darwish|Derwish", "Qasim|Kassem|Qassem"]
FARSI_M = ["Babak", "Farhad|Farhaad", "Reza|Rida", "Mehdi|Mahdi", "Hossein|Hosein|Hussein",
           "Amir", "Ali|Aly", "Behrouz|Behruz", "Dariush|Daryoush|Darius", "Hamid|Hameed",
           "Javad|Jawad", "Kourosh|Kurosh", "Majid|Majeed", "Navid|Naveed", "Omid|Omeed",
           "Payam|Payaam", "Saeed|Said|Saeid", "Shahram|Shahrum", "Vahid|Wahid", "Arash"]
FARSI_F = ["Maryam|Mariam", "Parisa|Parissa", "Shirin|Sherin", "Fatemeh|Fatima|Fatemah",
           "Zahra|Zahraa", "Leila|Layla", "Nasrin|Nasreen", "Roya|Ruya", "Sara|Sarah", "Mina"]
FARSI_S = ["Rostami|Rustami", "Najafi|Nadjafi", "Ahmadi|Ahmady", "Karimi|Karimy", "Rahimi|Rahimy",
           "Azizi|Azizy", "Hosseini|Husseini|Hoseini", "Mohammadi|Muhammadi|Mohamadi",
           "Rezaei|Rezaee|Rezai", "Moradi|Muradi", "Jafari|Jafary|Ja'fari", "Sadeghi|Sadeqi",
           "Tehrani|Tehrany", "Ghorbani|Qorbani", "Heidari|Haidari|Heydari", "Kazemi|Kazimi",
           "Ebrahimi|Ibrahimi", "Mousavi|Musavi|Moosavi", "Amini|Aminy", "Bagheri|Baqeri"]
KURDISH_M = ["Dana|Danna", "Zana|Zanna", "Aram|Araam", "Soran|Suran", "Shwan|Shuan|Shvan",
             "Sherzad|Sherzaad|Shirzad", "Hawre|Hawri|Hawry", "Rebwar|Rebuar|Rebwaar", "Karwan|Karwaan",
             "Hemin|Hemn|Himen", "Kawa|Kaawa", "Bakhtiar|Bakhtyar|Baxtiyar", "Azad|Azaad",
             "Dilshad|Dilshaad", "Hiwa|Hewa"]
KURDISH_F = ["Shilan|Shelan|Shilaan", "Nazanin|Nazaneen", "Rezan|Rezhan", "Avin|Aveen",
             "Shno|Shnow", "Berivan|Berivan|Beriwan", "Zhila|Jila", "Nishtiman|Nishtman"]
KURDISH_S = ["Talabani|Talebani", "Barzani|Barzany", "Hama|Hamma", "Rebuar|Rebwar", "Soran|Suran",
             "Kakai|Kakayi", "Jaff|Jaaf", "Zebari|Zibari", "Mirza|Mirze", "Aziz|Azeez",
             "Salih|Saleh", "Karim|Kareem", "Ahmad|Ahmed", "Mahmud|Mahmoud", "Hawrami|Hewrami"]
TIGRINYA_M = ["Dawit|Dawitt|Dauit|Dawid", "Yohannes|Johannes|Yohanes|Yohanis", "Tesfaye|Tesfay|Tesfai",
              "Samuel|Samual|Semuel", "Mehari|Mihari|Meharie", "Berhane|Berhani|Birhane",
              "Kidane|Kidanie|Kidan", "Filmon|Philmon|Filemon", "Habtom|Habtum", "Yonas|Jonas|Yonnas",
              "Mussie|Musie|Mussi", "Robel|Robiel", "Aman|Amaan", "Senay|Sennay", "Michael|Mikael|Mikiel"]
TIGRINYA_F = ["Helen|Hellen|Elen", "Senait|Sennait|Senayt", "Selam|Selamawit", "Yordanos|Yordanose",
              "Luwam|Luam|Lwam", "Saba|Sabba", "Eden|Edan", "Winta|Wintana", "Feven|Fiven"]
TIGRINYA_S = ["Tekle|Teklay|Tekley", "Yohannes|Johannes|Yohanes", "Gebremedhin|Gebre Medhin|Ghebremedhin",
              "Tesfamariam|Tesfa Mariam", "Haile|Hailay|Hayle", "Berhe|Berhie", "Kidane|Kidanie",
              "Mehari|Mihari", "Woldu|Weldu", "Tsegay|Tsegai|Tsegaye", "Ghebreyesus|Gebreyesus",
              "Abraha|Abreha", "Gebru|Ghebru", "Asfaha|Asfeha", "Habte|Habtey"]
PASHTO_M = ["Ajmal|Ajmaal", "Nasrullah|Nasrulla|Nasratullah", "Khan Mohammad|Khan Muhammad|Khanmohammad",
            "Naqibullah|Naqibulla|Nakibullah", "Hayatullah|Hayatulla", "Ahmad Shah|Ahmadshah|Ahmed Shah",
            "Gul|Gull", "Bashir|Basheer", "Samiullah|Samiulla|Sami Ullah", "Wali|Walli", "Farid|Fareed",
            "Sher Khan|Sherkhan|Shir Khan", "Rahmatullah|Rahmatulla", "Zabihullah|Zabiullah",
            "Hekmatullah|Hikmatullah", "Noorullah|Nurullah", "Jawed|Javed|Jawid", "Mirwais|Mirways",
            "Ismail|Esmail|Ismael", "Habibullah|Habibulla"]
PASHTO_F = ["Nazia|Naziya", "Parwana|Parvana", "Malalai|Malalay", "Gulalai|Gulalay|Gul Alai",
            "Zarghona|Zarghuna", "Shabana|Shabanah", "Fariba|Fareeba", "Mursal|Mursel"]
PASHTO_S = ["Khan|Kahn", "Ahmadzai|Ahmedzai|Ahmadzay", "Mohmand|Momand", "Durrani|Durani",
            "Shinwari|Shinwary", "Safi|Saafi", "Popalzai|Popalzay", "Noorzai|Nurzai", "Wardak|Wardag",
            "Rahmatullah|Rahmatulla|Rahmatullah", "Stanikzai|Stanekzai", "Yusufzai|Yousafzai|Yousufzai",
            "Achakzai|Achekzai", "Barakzai|Barakzay", "Kakar|Kakkar", "Zadran|Dzadran",
            "Karzai|Karzay", "Sultani|Soltani", "Hotak|Hotaki", "Niazi|Niyazi"]
ALBANIAN_M = ["Besnik|Besnick", "Artan|Arton", "Ermal|Ermall", "Klodian|Klaudian", "Fatmir|Fatmire",
              "Dritan|Driton", "Erion|Erjon", "Arben|Arbenn", "Gentian|Genti", "Bledar|Bledi",
              "Arjan|Arian", "Ilir|Ilirr", "Kujtim|Kuitim", "Agron|Agronn", "Sokol|Sokoll"]
ALBANIAN_F = ["Blerta|Blerte", "Arta|Arte", "Elira|Elirae", "Mirela|Mirella", "Anila|Anilla",
              "Valbona|Vallbona", "Drita|Dritta", "Jonida|Ionida"]
ALBANIAN_S = ["Gashi|Gashii", "Marku|Markou", "Leka|Lleka", "Berisha|Berishaj", "Dervishi|Dervishaj",
              "Prifti|Priftaj", "Shehu|Shehaj", "Krasniqi|Krasniqui|Krasnici", "Kola|Kolla",
              "Hoxha|Hodja|Hoxhaj", "Basha|Bashaj", "Dushku|Dushkaj", "Lika|Likaj", "Cela|Çela",
              "Meta|Metaj", "Rama|Ramaj", "Hasani|Hasanaj", "Sula|Sulaj", "Kelmendi|Kelmend", "Zeqiri|Zekiri"]
VIET_M = ["Van|Văn", "Minh", "Quang", "Tuan|Tuấn", "Thanh", "Hung|Hùng", "Duc|Đức", "Long",
          "Nam", "Hieu|Hiếu", "Phong", "Khanh|Khánh", "Trung", "Dung|Dũng", "Hai|Hải"]
VIET_F = ["Thuy|Thủy|Thủi|Thuuy", "Lan", "Huong|Hương", "Mai", "Linh", "Ngoc|Ngọc", "Trang",
          "Hoa", "Phuong|Phương", "Anh"]
VIET_S = ["Nguyen|Nguyễn|Nguyen", "Tran|Trần", "Le|Lê", "Pham|Phạm", "Phan", "Dang|Đặng", "Bui|Bùi",
          "Do|Đỗ", "Ho|Hồ", "Ngo|Ngô", "Vu|Vũ|Vo", "Duong|Dương", "Ly|Lý", "Truong|Trương", "Dinh|Đinh"]
EN_M = ["Kevin", "Jason", "James", "John", "David", "Michael", "Paul", "Mark", "Daniel", "Andrew",
        "Christopher|Christopher|Kristopher", "Stephen|Steven", "Richard", "Thomas", "Matthew|Mathew",
        "Robert", "Gary", "Lee|Leigh", "Craig", "Stuart|Stewart", "Scott", "Darren", "Wayne",
        "Jonathan|Johnathan", "Anthony|Antony", "Peter", "Simon", "Ian|Iain", "Neil|Neal", "Liam",
        "Connor|Conor", "Ryan", "Jamie", "Sean|Shaun", "Callum|Calum", "Aaron", "Dean", "Adam",
        "Samuel", "Benjamin"]
EN_F = ["Janet", "Sarah|Sara", "Emma", "Claire|Clare", "Lisa", "Karen", "Nicola|Nichola", "Michelle",
        "Rebecca|Rebekah", "Laura", "Gemma|Jemma", "Louise", "Amy|Aimee", "Kelly|Kelley", "Rachel",
        "Hannah|Hanna", "Jessica", "Joanne|Joanna", "Victoria", "Catherine|Katherine|Kathryn"]
EN_S = ["Fleming", "Jenkins", "Whitehead", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
        "Johnson", "Davies|Davis", "Robinson", "Wright", "Thompson|Thomson", "Evans", "Walker",
        "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke|Clark", "Hughes", "Edwards",
        "Turner", "Hill", "Moore", "Cooper", "Ward", "Harris", "Martin", "Lewis", "Morris", "King",
        "Campbell", "Stewart|Stuart", "MacDonald|McDonald", "Murray", "Reid|Reed", "Scott", "Young",
        "Mitchell", "Anderson", "Bell", "Watson", "Graham", "Kelly", "Kennedy", "Ross"]


def pool(*groups):
    return [g.split("|") for g in groups]


NAMES = {  # nationality -> (male given, female given, surnames)
    "GBR": (pool(*EN_M), pool(*EN_F), pool(*EN_S)),
    "AFG": (pool(*PASHTO_M), pool(*PASHTO_F), pool(*PASHTO_S)),
    "IRQ": (pool(*(KURDISH_M + ARABIC_M[:12])), pool(*(KURDISH_F + ARABIC_F[:6])), pool(*(KURDISH_S + ARABIC_S[:10]))),
    "IRN": (pool(*(FARSI_M + KURDISH_M[:5])), pool(*FARSI_F), pool(*FARSI_S)),
    "SYR": (pool(*ARABIC_M), pool(*ARABIC_F), pool(*ARABIC_S)),
    "ALB": (pool(*ALBANIAN_M), pool(*ALBANIAN_F), pool(*ALBANIAN_S)),
    "ERI": (pool(*TIGRINYA_M), pool(*TIGRINYA_F), pool(*TIGRINYA_S)),
    "SDN": (pool(*ARABIC_M), pool(*ARABIC_F), pool(*ARABIC_S)),
    "VNM": (pool(*VIET_M), pool(*VIET_F), pool(*VIET_S)),
    "EGY": (pool(*ARABIC_M), pool(*ARABIC_F), pool(*ARABIC_S)),
}
# Fraction of men per nationality (synth_200k: 74% M overall, GBR about even)
MALE = {"GBR": 0.5}

# Faker-like UK addresses: "189 Marc Route", "Port Robertburgh", "WD07 1XQ"
STREET_WORDS = [n.split("|")[0] for n in EN_M + EN_F + EN_S] + [
    "Marc", "Dorothy", "Shaun", "Phillips", "Hollie", "Parsons", "James", "Chloe", "Bryan", "Jack",
    "Daniel", "Sims", "Antony", "Carl", "Moran", "Harriet", "Owen", "Glen", "Leah", "Bethany"]
STREET_SUFFIX = ["Route", "Island", "Heights", "Drive", "Ports", "Fords", "Rapids", "Knolls", "Well",
                 "Flats", "Walks", "Rue", "Throughway", "Plains", "Street", "Road", "Lane", "Avenue",
                 "Close", "Gardens", "Court", "Crescent", "Grove", "Mews", "Place", "Square", "Terrace",
                 "Way", "View", "Park", "Hill", "Green", "Row", "Shoals", "Springs", "Stravenue",
                 "Trace", "Vista", "Wells", "Mills", "Meadows", "Lodge", "Locks", "Gateway"]
# plus made-up place-like words ("Ashford", "Brightley"), so that two people
# share an address mostly because they share a household, as in synth_200k
STREET_WORDS += [a + b for a in ["Ash", "Bright", "Carl", "Dal", "Elm", "Fair", "Glen", "Hart", "Ivy", "Kings",
                                 "Lang", "Mar", "Nor", "Oak", "Pen", "Queens", "Red", "Stan", "Thorn", "Up",
                                 "Vale", "Wes", "Wood", "York", "Beech", "Cole", "Dun", "Hazel", "Kent", "Mill"]
                 for b in ["ton", "ley", "wood", "field", "ford", "bury", "wick", "more", "dale", "well",
                           "brook", "gate", "hurst", "side", "worth", "stone", "combe", "den", "ham", "by"]]
CITY_PREFIX = ["", "", "", "Port ", "West ", "North ", "South ", "East ", "New ", "Lake "]
CITY_SUFFIX = ["burgh", "mouth", "side", "haven", "fort", "ville", "berg", "borough", "stad", "shire",
               "furt", "ton", "land", "chester", "bury", "view", "", ""]
CITY_STEMS = ["Robert", "Craig", "Ronald", "Ashley", "Leah", "Joanna", "Yvonne", "Linda", "Jacob",
              "Megan", "Nicole", "Diane", "Miller", "Leon", "James", "Rachael", "Sutton", "Kenneth",
              "Wilson", "Johnson", "Davies", "Paige", "Michelle", "Amber", "Suzanne", "Charlotte",
              "Gareth", "Hayley", "Stephen", "Lewis", "Mark", "Sandra", "Maria", "Gordon", "Hannah",
              "Jordan", "Alan", "Simon", "Karen", "Georgia"]
PC_AREAS = ["WD", "SW", "E", "TN", "S", "KW", "N", "FY", "L", "SN", "EX", "B", "DA", "M", "G", "RH",
            "KA", "CW", "W", "NW", "SE", "EC", "BS", "CF", "LS", "NE", "OX", "PO", "BT", "AB"]
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        r = self.r
        self.cities = sorted({(p + s + x).strip() for p in CITY_PREFIX for s in CITY_STEMS for x in CITY_SUFFIX})
        r.shuffle(self.cities)

    # ---- the person (truth) --------------------------------------------
    def phone_digits(self, nat):
        r = self.r
        if nat == "GBR" or r.random() < 0.75:      # most people have a UK mobile
            return "44", "7" + "".join(r.choice("0123456789") for _ in range(9))
        return CC[nat], r.choice("123456789") + "".join(r.choice("0123456789") for _ in range(8))

    def address(self):
        r = self.r
        street = f"{r.randint(1, 300)} {r.choice(STREET_WORDS)} {r.choice(STREET_SUFFIX)}"
        city = r.choice(self.cities)
        area = r.choice(PC_AREAS)
        district = str(r.randint(0, 99)) if r.random() < 0.7 else str(r.randint(0, 9)) + r.choice(UPPER)
        pc = f"{area}{district} {r.randint(0, 9)}{r.choice(UPPER)}{r.choice(UPPER)}"
        return street, city, pc

    def person(self, household=None):
        r = self.r
        nat = household["nat"] if household and r.random() < 0.9 else \
            r.choices(list(NAT_WEIGHTS), weights=list(NAT_WEIGHTS.values()))[0]
        male = r.random() < MALE.get(nat, 0.82)
        gm, gf, ss = NAMES[nat]
        # skewed choice: small pools, a few names very common
        given = gm[int(len(gm) * r.random() ** 1.3)] if male else gf[int(len(gf) * r.random() ** 1.3)]
        surname = household["surname"] if household and r.random() < 0.7 else ss[int(len(ss) * r.random() ** 1.3)]
        if r.random() < 0.05:                      # placeholder date in the truth itself
            dob = (r.randint(1955, 2007), 1, 1)
        else:
            dob = (r.randint(1950, 2007), r.randint(1, 12), r.randint(1, 28))
        if household:
            addr, phone = household["addr"], (household["phone"] if r.random() < 0.6 else self.phone_digits(nat))
        else:
            addr, phone = self.address(), self.phone_digits(nat)
        passport = r.choice(UPPER) + "".join(r.choice("0123456789") for _ in range(8))
        return dict(nat=nat, sex="M" if male else "F", given=given, surname=surname, dob=dob,
                    addr=addr, phone=phone, passport=passport, alt_addr=None, alt_phone=None)

    # ---- one agency's record of the person ------------------------------
    def typo(self, s):
        r = self.r
        if len(s) < 3:
            return s
        i = r.randrange(1, len(s))
        k = r.random()
        if k < 0.35:
            return s[:i] + s[i + 1:]                                   # deletion
        if k < 0.65:
            return s[:i] + s[i] + s[i:]                                # doubling
        if k < 0.85:
            c = r.choice(UPPER if s[i].isupper() else LOWER)
            return s[:i] + c + s[i + 1:]                               # substitution
        if i < len(s) - 1:
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]                 # transposition
        return s

    def name(self, variants, primary):
        r = self.r
        if primary:
            v = variants[0] if r.random() < 0.55 else r.choice(variants)
        else:
            v = variants[0] if r.random() < 0.4 else r.choice(variants)
        if r.random() < 0.09:
            v = self.typo(v)
        return v

    def fmt_phone(self, cc, num):
        r = self.r
        k = r.random()
        if cc == "44" and k < 0.37 / 0.85:                    # national form
            return "0" + num
        if r.random() < 0.63:                                  # +CC form
            if r.random() < 0.35:
                return f"+{cc} {num[:4]} {num[4:]}"
            return f"+{cc}{num}"
        if r.random() < 0.3:                                   # 00CC form
            return f"00{cc} {num}"
        return f"00{cc}{num}"

    def record(self, p, first):
        r = self.r
        g = self.name(p["given"], first)
        s = self.name(p["surname"], first)
        if r.random() < 0.009:
            g = ""
        if r.random() < 0.015:
            g, s = s, g                                        # given name and surname swapped
        if r.random() < 0.3:
            g, s = g.upper(), s.upper()
        y, m, d = p["dob"]
        if r.random() < 0.046:
            dob = ""
        else:
            k = r.random()
            if not first and k < 0.03 and d <= 12 and d != m:
                m, d = d, m                                    # day and month swapped
            elif not first and k < 0.075:
                y += r.choice([-2, -1, 1, 2])                  # year off
            elif not first and k < 0.12:
                m, d = 1, 1                                    # 1 January placeholder
            dob = f"{y:04d}-{m:02d}-{d:02d}"
        sex = "" if r.random() < 0.022 else (p["sex"] if r.random() < 0.99 else ("F" if p["sex"] == "M" else "M"))
        if r.random() < 0.081:
            nat = ""
        elif r.random() < 0.045:
            nat = r.choice(list(NAT_WEIGHTS))
        else:
            nat = p["nat"]
        if r.random() < 0.268:
            phone = ""
        else:
            cc, num = p["phone"]
            if not first and r.random() < 0.12:               # a second number for the same person
                if p["alt_phone"] is None:
                    p["alt_phone"] = self.phone_digits(p["nat"])
                cc, num = p["alt_phone"]
            phone = self.fmt_phone(cc, num)
        if r.random() < 0.70:
            passport = ""
        else:
            passport = p["passport"] if r.random() < 0.95 else self.typo(p["passport"].lower() if r.random() < 0.3 else p["passport"])
            if r.random() < 0.02:
                passport = passport[:5] + r.choice(LOWER) + passport[5:]
        if r.random() < 0.167:
            street = city = pc = ""
        else:
            street, city, pc = p["addr"]
            if not first and r.random() < 0.22:                # moved: another address
                if p["alt_addr"] is None:
                    p["alt_addr"] = self.address()
                street, city, pc = p["alt_addr"]
            if r.random() < 0.02:
                city = self.typo(city)
            if r.random() < 0.01:
                street = self.typo(street)
        return [r.choice(SOURCES), g, s, dob, sex, nat, phone, passport, street, city, pc]

    def generate(self, n_records):
        r = self.r
        sizes = list(range(1, 7))
        rid = 0
        cid = 0
        households = []
        while rid < n_records:
            hh = None
            k = r.random()
            if households and k < 0.15:                        # joins an existing household
                hh = households[r.randrange(len(households))]
            p = self.person(hh)
            if hh is None and k < 0.21:                        # starts a household
                households.append(dict(nat=p["nat"], surname=p["surname"], addr=p["addr"], phone=p["phone"]))
                if len(households) > 5000:
                    households.pop(r.randrange(len(households)))
            size = r.choices(sizes, weights=SIZE_WEIGHTS)[0]
            for j in range(size):
                if rid >= n_records:
                    break
                yield [str(rid), str(cid)] + self.record(p, j == 0)
                rid += 1
            cid += 1


def stats(rows):
    """Summary statistics of an iterable of rows (lists in COLUMNS order)."""
    n = 0
    clusters = Counter()
    sources = Counter()
    missing = Counter()
    given = set()
    surname = set()
    jan1 = 0
    upper = 0
    ph = Counter()
    addr_clusters = {}
    phone_clusters = {}
    nat = Counter()
    sex = Counter()
    for row in rows:
        n += 1
        clusters[row[1]] += 1
        sources[row[2]] += 1
        for i, c in enumerate(COLUMNS[3:], 3):
            if row[i] == "":
                missing[c] += 1
        given.add(row[3].lower())
        surname.add(row[4].lower())
        jan1 += row[5].endswith("-01-01")
        upper += row[3].isupper()
        nat[row[7]] += 1
        sex[row[6]] += 1
        p = row[8]
        if p:
            ph["+" if p.startswith("+") else "00" if p.startswith("00") else "national"] += 1
            digits = "".join(ch for ch in p if ch.isdigit())[-9:]
            phone_clusters.setdefault(digits, set()).add(row[1])
        if row[10]:
            addr_clusters.setdefault(row[10], set()).add(row[1])
    sizes = Counter(clusters.values())
    nph = sum(ph.values())
    return {
        "records": n,
        "clusters (people)": len(clusters),
        "records per person": round(n / len(clusters), 3),
        "cluster sizes 1..6 (% of people)": " ".join(f"{100 * sizes[k] / len(clusters):.1f}" for k in range(1, 7)),
        "true pairs": sum(c * (c - 1) // 2 for c in clusters.values()),
        "sources": len(sources),
        "largest / smallest source share %": f"{100 * max(sources.values()) / n:.1f} / {100 * min(sources.values()) / n:.1f}",
        "distinct given names / surnames (lower case)": f"{len(given)} / {len(surname)}",
        "nationality top 4 %": " ".join(f"{k or '-'}:{100 * v / n:.0f}" for k, v in nat.most_common(4)),
        "sex M/F/missing %": f"{100 * sex['M'] / n:.0f}/{100 * sex['F'] / n:.0f}/{100 * sex[''] / n:.1f}",
        "given name in upper case %": round(100 * upper / n, 1),
        "dob = 1 January %": round(100 * jan1 / n, 1),
        "missing % given/dob/nat/phone/passport/address":
            "/".join(f"{100 * missing[c] / n:.1f}" for c in ["given_name", "dob", "nationality", "phone", "passport_no", "address"]),
        "phone forms national/+/00 %": "/".join(f"{100 * ph[k] / max(nph, 1):.0f}" for k in ["national", "+", "00"]),
        "addresses shared by >1 person %": round(100 * sum(len(v) > 1 for v in addr_clusters.values()) / max(len(addr_clusters), 1), 1),
        "phones shared by >1 person %": round(100 * sum(len(v) > 1 for v in phone_clusters.values()) / max(len(phone_clusters), 1), 1),
    }


def read_rows(path):
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        next(rd)
        yield from rd


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240401)
    ap.add_argument("--compare", help="reference file (synth_200k.csv.gz) whose stats are printed alongside")
    a = ap.parse_args()
    t0 = time.time()
    g = Gen(a.seed)
    kept = []
    with gzip.open(a.out, "wt", newline="", encoding="utf-8", compresslevel=4) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in g.generate(a.records):
            w.writerow(row)
            kept.append(row)
    gen_s = time.time() - t0
    mine = stats(kept)
    del kept
    print(f"wrote {a.out}: {mine['records']} records in {gen_s:.1f}s (seed {a.seed})", file=sys.stderr)
    ref = stats(read_rows(a.compare)) if a.compare else None
    w1 = max(len(k) for k in mine)
    head = f"{'':{w1}}  {'generated':>24}"
    if ref:
        head += f"  {'reference':>24}"
    print(head)
    for k, v in mine.items():
        line = f"{k:{w1}}  {str(v):>24}"
        if ref:
            line += f"  {str(ref[k]):>24}"
        print(line)


if __name__ == "__main__":
    main()
