//! Invented name parts, grouped by naming culture, with the transliteration
//! variants that different agencies write for the same name.
//!
//! Every person in the scenario is a combination of these parts: none is a
//! real individual. The first variant of each part is the canonical spelling;
//! the others are the spellings agencies produce when transliterating from
//! Arabic, Tigrinya, Pashto, Kurdish or Vietnamese.

/// One name part: its Latin-script variants (canonical first) and, for
/// Arabic-script names, the Arabic spelling some debriefs record as an alias.
pub(crate) struct Part {
    pub variants: &'static [&'static str],
    pub arabic: &'static str,
}

const fn p(variants: &'static [&'static str]) -> Part {
    Part { variants, arabic: "" }
}

const fn a(variants: &'static [&'static str], arabic: &'static str) -> Part {
    Part { variants, arabic }
}

/// A naming culture: where its people come from and how their names are built.
pub(crate) struct Culture {
    /// ISO 3166-1 alpha-2 nationalities, most frequent first.
    pub nationalities: &'static [&'static str],
    pub male: &'static [Part],
    pub female: &'static [Part],
    pub family: &'static [Part],
    /// Family name is written first in the canonical form (Vietnamese).
    pub family_first: bool,
}

const ARABIC_MALE: &[Part] = &[
    a(&["Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad", "Muhammed"], "محمد"),
    a(&["Ahmed", "Ahmad", "Ahmet"], "أحمد"),
    a(&["Abdelrahman", "Abd al-Rahman", "Abdulrahman", "Abdul Rahman", "Abdel Rahman"], "عبد الرحمن"),
    a(&["Yusuf", "Youssef", "Yousef", "Yusef", "Youcef"], "يوسف"),
    a(&["Hussein", "Husayn", "Hussain", "Hossein", "Husein"], "حسين"),
    a(&["Omar", "Umar", "Omer"], "عمر"),
    a(&["Khaled", "Khalid", "Khaleed"], "خالد"),
    a(&["Ibrahim", "Ebrahim", "Brahim", "Ibraheem"], "إبراهيم"),
    a(&["Mustafa", "Mostafa", "Moustafa", "Mustapha"], "مصطفى"),
    a(&["Ali", "Aly"], "علي"),
    a(&["Hassan", "Hasan", "Hassen"], "حسن"),
    a(&["Osama", "Usama", "Ousama"], "أسامة"),
    a(&["Tariq", "Tarek", "Tareq", "Tarik"], "طارق"),
    a(&["Jamal", "Gamal", "Djamel"], "جمال"),
    a(&["Abdullah", "Abdallah", "Abdulla", "Abdellah"], "عبد الله"),
    a(&["Walid", "Waleed", "Oualid"], "وليد"),
    a(&["Saleh", "Salih", "Salah"], "صالح"),
    a(&["Nabil", "Nabeel"], "نبيل"),
    a(&["Faisal", "Faysal", "Fayssal"], "فيصل"),
    a(&["Anas", "Annas"], "أنس"),
];

const ARABIC_FEMALE: &[Part] = &[
    a(&["Fatima", "Fatma", "Fatimah"], "فاطمة"),
    a(&["Amina", "Aminah", "Ameena"], "أمينة"),
    a(&["Mariam", "Maryam", "Meriem"], "مريم"),
    a(&["Khadija", "Khadijah", "Khadidja"], "خديجة"),
    a(&["Huda", "Houda", "Hoda"], "هدى"),
    a(&["Samira", "Sameera"], "سميرة"),
];

const ARABIC_FAMILY: &[Part] = &[
    a(&["Al-Masri", "Al Masri", "Elmasry", "El-Masri"], "المصري"),
    a(&["Ahmed", "Ahmad"], "أحمد"),
    a(&["Hamdan", "Hamdane"], "حمدان"),
    a(&["Mansour", "Mansur", "Mansoor"], "منصور"),
    a(&["Abdelkader", "Abd al-Qadir", "Abdulkadir", "Abdelkadir"], "عبد القادر"),
    a(&["Haddad", "Hadad"], "حداد"),
    a(&["Khalil", "Khaleel", "Halil"], "خليل"),
    a(&["Nasser", "Nasir", "Naser"], "ناصر"),
    a(&["Osman", "Othman", "Uthman", "Osmane"], "عثمان"),
    a(&["Idris", "Idriss", "Edris"], "إدريس"),
    a(&["Ben Ali", "Benali", "Bin Ali"], "بن علي"),
    a(&["Al-Warfalli", "Warfalli", "El Werfalli"], "الورفلي"),
    a(&["Suleiman", "Sulayman", "Soliman", "Slimane"], "سليمان"),
    a(&["Al-Tajouri", "Tajouri", "Tajuri"], "التاجوري"),
    a(&["Gharbi", "El Gharbi", "Al-Gharbi"], "الغربي"),
    a(&["Jaziri", "Jazairi", "El Jaziri"], "الجزيري"),
    a(&["Abdelaziz", "Abd al-Aziz", "Abdulaziz"], "عبد العزيز"),
    a(&["Shehata", "Shahata", "Chehata"], "شحاتة"),
];

const SUDANESE_MALE: &[Part] = &[
    a(&["Mohamed", "Mohammed", "Muhammad", "Mohamad"], "محمد"),
    a(&["Adam", "Adem"], "آدم"),
    a(&["Ismail", "Ismael", "Esmail"], "إسماعيل"),
    a(&["Musa", "Mousa", "Moussa"], "موسى"),
    a(&["Abakar", "Abbakar", "Abaker"], "أبكر"),
    a(&["Yahya", "Yehia", "Yahia"], "يحيى"),
    a(&["Abdelrahim", "Abd al-Rahim", "Abdulrahim"], "عبد الرحيم"),
    a(&["Hamid", "Hamed", "Hameed"], "حامد"),
    a(&["Ahmed", "Ahmad"], "أحمد"),
    a(&["Hussein", "Husayn", "Hussain"], "حسين"),
];

const SUDANESE_FAMILY: &[Part] = &[
    a(&["Adam", "Adem"], "آدم"),
    a(&["Ishag", "Ishaq", "Ishak", "Ishaag"], "إسحاق"),
    a(&["Yagoub", "Yaqub", "Yacoub", "Yakub"], "يعقوب"),
    a(&["Osman", "Othman", "Usman"], "عثمان"),
    a(&["Abakar", "Abbakar"], "أبكر"),
    a(&["Haroun", "Harun", "Haron"], "هارون"),
    a(&["Ahmed", "Ahmad"], "أحمد"),
    a(&["Eltayeb", "El-Tayeb", "Al-Tayyib"], "الطيب"),
    a(&["Abdalla", "Abdallah", "Abdullah"], "عبد الله"),
];

const KURDISH_MALE: &[Part] = &[
    p(&["Karwan", "Karvan", "Carwan"]),
    p(&["Rebwar", "Rebwer", "Ribwar"]),
    p(&["Aram", "Arram"]),
    p(&["Dler", "Diler", "Dlir"]),
    p(&["Hemin", "Hemn", "Himin"]),
    p(&["Shwan", "Shuan", "Chwan"]),
    p(&["Bakhtiar", "Bakhtyar", "Baxtiyar"]),
    p(&["Hawkar", "Hawker", "Haukar"]),
    p(&["Soran", "Suran"]),
    p(&["Kawa", "Kaua", "Kava"]),
    p(&["Zana", "Zanna"]),
    p(&["Barzan", "Barzani"]),
];

const KURDISH_FEMALE: &[Part] = &[p(&["Shilan", "Chilan"]), p(&["Avin", "Aveen", "Avine"]), p(&["Nazdar", "Nazdaar"])];

const KURDISH_FAMILY: &[Part] = &[
    p(&["Rasul", "Rasool", "Rassoul"]),
    p(&["Hama Amin", "Hamaamin", "Hama-Amin"]),
    p(&["Qadir", "Kadir", "Qader"]),
    p(&["Aziz", "Azeez"]),
    p(&["Mahmood", "Mahmud", "Mahmoud"]),
    p(&["Karim", "Kareem", "Kerim"]),
    p(&["Jalal", "Jalaal", "Celal"]),
    p(&["Faraj", "Faraje", "Farach"]),
    p(&["Hamasalih", "Hama Salih", "Hamasaleh"]),
    p(&["Ismail", "Ismael", "Smail"]),
];

const TIGRINYA_MALE: &[Part] = &[
    p(&["Tesfaye", "Tesfay", "Tesfai", "Tesfa"]),
    p(&["Yonas", "Yonatan", "Jonas"]),
    p(&["Yohannes", "Yohanes", "Yohanis", "Johannes"]),
    p(&["Mehari", "Mahari", "Mehary"]),
    p(&["Tekle", "Teklay", "Teklai"]),
    p(&["Berhane", "Berhe", "Birhane", "Berhan"]),
    p(&["Habtom", "Habtum", "Habtu"]),
    p(&["Kidane", "Kidanie", "Kidan"]),
    p(&["Filmon", "Filimon", "Philemon"]),
    p(&["Semere", "Semre", "Semer"]),
    p(&["Ermias", "Ermiyas", "Yermias"]),
];

const TIGRINYA_FEMALE: &[Part] = &[
    p(&["Selam", "Salam", "Selamawit"]),
    p(&["Helen", "Hellen", "Hilina"]),
    p(&["Senait", "Senayt", "Sennait"]),
    p(&["Meron", "Miron"]),
];

const TIGRINYA_FAMILY: &[Part] = &[
    p(&["Ghebremedhin", "Gebremedhin", "Gebremedin", "Ghebre Medhin"]),
    p(&["Tewelde", "Tewolde", "Teweldebrhan", "Tewoldu"]),
    p(&["Haile", "Hailu", "Hayle"]),
    p(&["Kahsay", "Kahsai", "Kassay"]),
    p(&["Woldemariam", "Weldemariam", "Wolde Mariam", "Woldemichael"]),
    p(&["Andemariam", "Andemaryam", "Ande Mariam"]),
    p(&["Mebrahtu", "Mebrahtom", "Mebratu"]),
    p(&["Asfaha", "Asfeha", "Asfahe"]),
    p(&["Tesfamariam", "Tesfa Mariam", "Tesfamaryam"]),
    p(&["Gebreyesus", "Ghebreyesus", "Gebre Yesus"]),
];

const PASHTO_MALE: &[Part] = &[
    p(&["Gul Ahmad", "Gul Ahmed", "Golahmad"]),
    p(&["Zabiullah", "Zabihullah", "Zabiollah", "Zabi Ullah"]),
    p(&["Noorullah", "Nurullah", "Noor Ullah", "Norullah"]),
    p(&["Hamid", "Hameed", "Hamed"]),
    p(&["Rahmatullah", "Rahmatulla", "Rahmat Ullah"]),
    p(&["Farid", "Fareed", "Fared"]),
    p(&["Wahid", "Waheed", "Vahid"]),
    p(&["Jawed", "Javed", "Jawid", "Javid"]),
    p(&["Ahmad Shah", "Ahmadshah", "Ahmed Shah"]),
    p(&["Sayed", "Sayyed", "Said", "Syed"]),
    p(&["Najibullah", "Najib Ullah", "Najibulla"]),
];

const PASHTO_FEMALE: &[Part] = &[p(&["Zarmina", "Zarmeena"]), p(&["Nazia", "Naziya"]), p(&["Malalai", "Malalay"])];

const PASHTO_FAMILY: &[Part] = &[
    p(&["Khan", "Kahn"]),
    p(&["Ahmadzai", "Ahmadzay", "Ahmedzai"]),
    p(&["Stanikzai", "Stanekzai", "Staniksai"]),
    p(&["Popal", "Popalzai"]),
    p(&["Safi", "Saafi"]),
    p(&["Hotak", "Hotaki", "Hotaky"]),
    p(&["Niazi", "Niyazi"]),
    p(&["Rahimi", "Raheemi"]),
    p(&["Sultani", "Soltani", "Sultany"]),
    p(&["Mohammadi", "Mohamadi", "Muhammadi", "Mohammady"]),
    p(&["Amiri", "Ameeri", "Emiri"]),
];

const ALBANIAN_MALE: &[Part] = &[
    p(&["Arben", "Arbën"]),
    p(&["Besnik", "Besniku"]),
    p(&["Dritan", "Dritani"]),
    p(&["Ermal", "Ermali"]),
    p(&["Fatmir", "Fatmiri"]),
    p(&["Gentian", "Genti", "Gentjan"]),
    p(&["Klodian", "Klodjan", "Klodi"]),
    p(&["Luan", "Luani"]),
    p(&["Artan", "Artani"]),
    p(&["Ilir", "Iliri"]),
    p(&["Erion", "Erjon", "Erioni"]),
];

const ALBANIAN_FEMALE: &[Part] = &[p(&["Elira", "Eliri"]), p(&["Drita", "Dritë"]), p(&["Anjeza", "Anxhela"])];

const ALBANIAN_FAMILY: &[Part] = &[
    p(&["Hoxha", "Hoxhaj", "Hodja"]),
    p(&["Krasniqi", "Krasniki", "Krasnici"]),
    p(&["Berisha", "Berishaj", "Berisa"]),
    p(&["Gashi", "Gashaj", "Gasi"]),
    p(&["Shehu", "Shehaj", "Sehu"]),
    p(&["Leka", "Lekaj", "Lecka"]),
    p(&["Dervishi", "Dervishaj", "Dervisi"]),
    p(&["Kola", "Kolaj", "Colla"]),
    p(&["Marku", "Markaj", "Marko"]),
    p(&["Prifti", "Priftaj"]),
];

const VIETNAMESE_MALE: &[Part] = &[
    p(&["Van Hung", "Văn Hùng", "Van-Hung", "Vanhung"]),
    p(&["Minh Tuan", "Minh Tuấn", "Minh-Tuan", "Minhtuan"]),
    p(&["Duc Anh", "Đức Anh", "Duc-Anh", "Ducanh"]),
    p(&["Quang Huy", "Quang Huy", "Quang-Huy"]),
    p(&["Van Nam", "Văn Nam", "Van-Nam"]),
    p(&["Thanh Long", "Thành Long", "Thanh-Long"]),
    p(&["Hoang Son", "Hoàng Sơn", "Hoang-Son"]),
    p(&["Van Tien", "Văn Tiến", "Van-Tien"]),
];

const VIETNAMESE_FEMALE: &[Part] = &[
    p(&["Thi Lan", "Thị Lan", "Thi-Lan"]),
    p(&["Thi Hoa", "Thị Hoa", "Thi-Hoa"]),
    p(&["Thi Mai", "Thị Mai", "Thi-Mai"]),
];

const VIETNAMESE_FAMILY: &[Part] = &[
    p(&["Nguyen", "Nguyễn", "Nguyen"]),
    p(&["Tran", "Trần", "Tranh"]),
    p(&["Le", "Lê"]),
    p(&["Pham", "Phạm", "Pham"]),
    p(&["Hoang", "Hoàng", "Huynh"]),
    p(&["Vu", "Vũ", "Vo"]),
    p(&["Dang", "Đặng", "Dhang"]),
    p(&["Bui", "Bùi"]),
    p(&["Do", "Đỗ", "Doh"]),
];

/// The cultures the scenario draws people from.
pub(crate) const CULTURES: &[Culture] = &[
    Culture {
        nationalities: &["LY", "EG", "SY", "TN", "IQ"],
        male: ARABIC_MALE,
        female: ARABIC_FEMALE,
        family: ARABIC_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["SD"],
        male: SUDANESE_MALE,
        female: ARABIC_FEMALE,
        family: SUDANESE_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["IQ", "IR", "SY"],
        male: KURDISH_MALE,
        female: KURDISH_FEMALE,
        family: KURDISH_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["ER", "ET"],
        male: TIGRINYA_MALE,
        female: TIGRINYA_FEMALE,
        family: TIGRINYA_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["AF"],
        male: PASHTO_MALE,
        female: PASHTO_FEMALE,
        family: PASHTO_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["AL", "XK"],
        male: ALBANIAN_MALE,
        female: ALBANIAN_FEMALE,
        family: ALBANIAN_FAMILY,
        family_first: false,
    },
    Culture {
        nationalities: &["VN"],
        male: VIETNAMESE_MALE,
        female: VIETNAMESE_FEMALE,
        family: VIETNAMESE_FAMILY,
        family_first: true,
    },
];

/// Culture indices, named for readability where groups are defined.
pub(crate) const ARABIC: u8 = 0;
pub(crate) const SUDANESE: u8 = 1;
pub(crate) const KURDISH: u8 = 2;
pub(crate) const TIGRINYA: u8 = 3;
pub(crate) const PASHTO: u8 = 4;
pub(crate) const ALBANIAN: u8 = 5;
pub(crate) const VIETNAMESE: u8 = 6;

/// Nicknames facilitators are known by in debriefs ("Abu Khaled", "Kaka Rebwar").
pub(crate) fn nickname(culture: u8, given: &str, seed: u64) -> String {
    let first = given.split(' ').next().unwrap_or(given);
    match culture {
        ARABIC | SUDANESE => {
            if seed.is_multiple_of(3) {
                format!("Hajji {first}")
            } else {
                format!("Abu {first}")
            }
        }
        KURDISH => {
            if seed.is_multiple_of(2) {
                format!("Kaka {first}")
            } else {
                format!("Dr {first}")
            }
        }
        TIGRINYA => format!("Wedi {first}"),
        PASHTO => format!("Haji {first}"),
        ALBANIAN => format!("{first} the Driver"),
        _ => format!("Anh {first}"),
    }
}

/// Introduces one plausible typing error: a doubled letter, a dropped vowel or
/// two swapped letters, chosen by `seed`.
pub(crate) fn typo(word: &str, seed: u64) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let pos = 1 + (seed as usize / 3) % (chars.len() - 2);
    let mut out: Vec<char> = chars.clone();
    match seed % 3 {
        0 => out.insert(pos, chars[pos]),
        1 => {
            if let Some(v) = (pos..chars.len() - 1).find(|&i| "aeiou".contains(chars[i])) {
                out.remove(v);
            } else {
                out.swap(pos, pos + 1);
            }
        }
        _ => out.swap(pos, pos + 1),
    }
    let s: String = out.into_iter().collect();
    if s == word { format!("{word}{}", chars[chars.len() - 1]) } else { s }
}
