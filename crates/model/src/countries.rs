//! ISO 3166-1 countries and the ITU maritime identification digits.
//!
//! Reports name countries every way imaginable ("UK", "Britain", "Türkiye",
//! "Turkey", "DR Congo", "Eritrean"), while matching needs one form: the
//! ISO 3166-1 alpha-2 code. This module holds the full ISO table, resolves
//! codes, names, common alternates and nationality adjectives to it, and maps
//! the Maritime Identification Digits of an MMSI to the vessel's flag state.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A country or territory from ISO 3166-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, the canonical form stored in statements.
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code, as used in passports' machine-readable zones.
    pub alpha3: &'static str,
    /// ISO 3166-1 numeric code (three digits, as UN M49 and world atlases key
    /// countries); `None` for Kosovo, which has no assigned numeric code.
    pub numeric: Option<&'static str>,
    /// ISO English short name, for display.
    pub name: &'static str,
}

/// Every ISO 3166-1 country (249 officially assigned codes, in ISO's order of
/// English names), followed by Kosovo under the user-assigned code `XK`/`XKX`
/// that the EU, the UK and Interpol use for it.
pub static COUNTRIES: [Country; 250] = [
    Country { alpha2: "AF", alpha3: "AFG", numeric: Some("004"), name: "Afghanistan" },
    Country { alpha2: "AX", alpha3: "ALA", numeric: Some("248"), name: "Åland Islands" },
    Country { alpha2: "AL", alpha3: "ALB", numeric: Some("008"), name: "Albania" },
    Country { alpha2: "DZ", alpha3: "DZA", numeric: Some("012"), name: "Algeria" },
    Country { alpha2: "AS", alpha3: "ASM", numeric: Some("016"), name: "American Samoa" },
    Country { alpha2: "AD", alpha3: "AND", numeric: Some("020"), name: "Andorra" },
    Country { alpha2: "AO", alpha3: "AGO", numeric: Some("024"), name: "Angola" },
    Country { alpha2: "AI", alpha3: "AIA", numeric: Some("660"), name: "Anguilla" },
    Country { alpha2: "AQ", alpha3: "ATA", numeric: Some("010"), name: "Antarctica" },
    Country { alpha2: "AG", alpha3: "ATG", numeric: Some("028"), name: "Antigua and Barbuda" },
    Country { alpha2: "AR", alpha3: "ARG", numeric: Some("032"), name: "Argentina" },
    Country { alpha2: "AM", alpha3: "ARM", numeric: Some("051"), name: "Armenia" },
    Country { alpha2: "AW", alpha3: "ABW", numeric: Some("533"), name: "Aruba" },
    Country { alpha2: "AU", alpha3: "AUS", numeric: Some("036"), name: "Australia" },
    Country { alpha2: "AT", alpha3: "AUT", numeric: Some("040"), name: "Austria" },
    Country { alpha2: "AZ", alpha3: "AZE", numeric: Some("031"), name: "Azerbaijan" },
    Country { alpha2: "BS", alpha3: "BHS", numeric: Some("044"), name: "Bahamas" },
    Country { alpha2: "BH", alpha3: "BHR", numeric: Some("048"), name: "Bahrain" },
    Country { alpha2: "BD", alpha3: "BGD", numeric: Some("050"), name: "Bangladesh" },
    Country { alpha2: "BB", alpha3: "BRB", numeric: Some("052"), name: "Barbados" },
    Country { alpha2: "BY", alpha3: "BLR", numeric: Some("112"), name: "Belarus" },
    Country { alpha2: "BE", alpha3: "BEL", numeric: Some("056"), name: "Belgium" },
    Country { alpha2: "BZ", alpha3: "BLZ", numeric: Some("084"), name: "Belize" },
    Country { alpha2: "BJ", alpha3: "BEN", numeric: Some("204"), name: "Benin" },
    Country { alpha2: "BM", alpha3: "BMU", numeric: Some("060"), name: "Bermuda" },
    Country { alpha2: "BT", alpha3: "BTN", numeric: Some("064"), name: "Bhutan" },
    Country { alpha2: "BO", alpha3: "BOL", numeric: Some("068"), name: "Bolivia (Plurinational State of)" },
    Country { alpha2: "BQ", alpha3: "BES", numeric: Some("535"), name: "Bonaire, Sint Eustatius and Saba" },
    Country { alpha2: "BA", alpha3: "BIH", numeric: Some("070"), name: "Bosnia and Herzegovina" },
    Country { alpha2: "BW", alpha3: "BWA", numeric: Some("072"), name: "Botswana" },
    Country { alpha2: "BV", alpha3: "BVT", numeric: Some("074"), name: "Bouvet Island" },
    Country { alpha2: "BR", alpha3: "BRA", numeric: Some("076"), name: "Brazil" },
    Country { alpha2: "IO", alpha3: "IOT", numeric: Some("086"), name: "British Indian Ocean Territory" },
    Country { alpha2: "BN", alpha3: "BRN", numeric: Some("096"), name: "Brunei Darussalam" },
    Country { alpha2: "BG", alpha3: "BGR", numeric: Some("100"), name: "Bulgaria" },
    Country { alpha2: "BF", alpha3: "BFA", numeric: Some("854"), name: "Burkina Faso" },
    Country { alpha2: "BI", alpha3: "BDI", numeric: Some("108"), name: "Burundi" },
    Country { alpha2: "CV", alpha3: "CPV", numeric: Some("132"), name: "Cabo Verde" },
    Country { alpha2: "KH", alpha3: "KHM", numeric: Some("116"), name: "Cambodia" },
    Country { alpha2: "CM", alpha3: "CMR", numeric: Some("120"), name: "Cameroon" },
    Country { alpha2: "CA", alpha3: "CAN", numeric: Some("124"), name: "Canada" },
    Country { alpha2: "KY", alpha3: "CYM", numeric: Some("136"), name: "Cayman Islands" },
    Country { alpha2: "CF", alpha3: "CAF", numeric: Some("140"), name: "Central African Republic" },
    Country { alpha2: "TD", alpha3: "TCD", numeric: Some("148"), name: "Chad" },
    Country { alpha2: "CL", alpha3: "CHL", numeric: Some("152"), name: "Chile" },
    Country { alpha2: "CN", alpha3: "CHN", numeric: Some("156"), name: "China" },
    Country { alpha2: "CX", alpha3: "CXR", numeric: Some("162"), name: "Christmas Island" },
    Country { alpha2: "CC", alpha3: "CCK", numeric: Some("166"), name: "Cocos (Keeling) Islands" },
    Country { alpha2: "CO", alpha3: "COL", numeric: Some("170"), name: "Colombia" },
    Country { alpha2: "KM", alpha3: "COM", numeric: Some("174"), name: "Comoros" },
    Country { alpha2: "CG", alpha3: "COG", numeric: Some("178"), name: "Congo" },
    Country { alpha2: "CD", alpha3: "COD", numeric: Some("180"), name: "Congo, Democratic Republic of the" },
    Country { alpha2: "CK", alpha3: "COK", numeric: Some("184"), name: "Cook Islands" },
    Country { alpha2: "CR", alpha3: "CRI", numeric: Some("188"), name: "Costa Rica" },
    Country { alpha2: "CI", alpha3: "CIV", numeric: Some("384"), name: "Côte d'Ivoire" },
    Country { alpha2: "HR", alpha3: "HRV", numeric: Some("191"), name: "Croatia" },
    Country { alpha2: "CU", alpha3: "CUB", numeric: Some("192"), name: "Cuba" },
    Country { alpha2: "CW", alpha3: "CUW", numeric: Some("531"), name: "Curaçao" },
    Country { alpha2: "CY", alpha3: "CYP", numeric: Some("196"), name: "Cyprus" },
    Country { alpha2: "CZ", alpha3: "CZE", numeric: Some("203"), name: "Czechia" },
    Country { alpha2: "DK", alpha3: "DNK", numeric: Some("208"), name: "Denmark" },
    Country { alpha2: "DJ", alpha3: "DJI", numeric: Some("262"), name: "Djibouti" },
    Country { alpha2: "DM", alpha3: "DMA", numeric: Some("212"), name: "Dominica" },
    Country { alpha2: "DO", alpha3: "DOM", numeric: Some("214"), name: "Dominican Republic" },
    Country { alpha2: "EC", alpha3: "ECU", numeric: Some("218"), name: "Ecuador" },
    Country { alpha2: "EG", alpha3: "EGY", numeric: Some("818"), name: "Egypt" },
    Country { alpha2: "SV", alpha3: "SLV", numeric: Some("222"), name: "El Salvador" },
    Country { alpha2: "GQ", alpha3: "GNQ", numeric: Some("226"), name: "Equatorial Guinea" },
    Country { alpha2: "ER", alpha3: "ERI", numeric: Some("232"), name: "Eritrea" },
    Country { alpha2: "EE", alpha3: "EST", numeric: Some("233"), name: "Estonia" },
    Country { alpha2: "SZ", alpha3: "SWZ", numeric: Some("748"), name: "Eswatini" },
    Country { alpha2: "ET", alpha3: "ETH", numeric: Some("231"), name: "Ethiopia" },
    Country { alpha2: "FK", alpha3: "FLK", numeric: Some("238"), name: "Falkland Islands (Malvinas)" },
    Country { alpha2: "FO", alpha3: "FRO", numeric: Some("234"), name: "Faroe Islands" },
    Country { alpha2: "FJ", alpha3: "FJI", numeric: Some("242"), name: "Fiji" },
    Country { alpha2: "FI", alpha3: "FIN", numeric: Some("246"), name: "Finland" },
    Country { alpha2: "FR", alpha3: "FRA", numeric: Some("250"), name: "France" },
    Country { alpha2: "GF", alpha3: "GUF", numeric: Some("254"), name: "French Guiana" },
    Country { alpha2: "PF", alpha3: "PYF", numeric: Some("258"), name: "French Polynesia" },
    Country { alpha2: "TF", alpha3: "ATF", numeric: Some("260"), name: "French Southern Territories" },
    Country { alpha2: "GA", alpha3: "GAB", numeric: Some("266"), name: "Gabon" },
    Country { alpha2: "GM", alpha3: "GMB", numeric: Some("270"), name: "Gambia" },
    Country { alpha2: "GE", alpha3: "GEO", numeric: Some("268"), name: "Georgia" },
    Country { alpha2: "DE", alpha3: "DEU", numeric: Some("276"), name: "Germany" },
    Country { alpha2: "GH", alpha3: "GHA", numeric: Some("288"), name: "Ghana" },
    Country { alpha2: "GI", alpha3: "GIB", numeric: Some("292"), name: "Gibraltar" },
    Country { alpha2: "GR", alpha3: "GRC", numeric: Some("300"), name: "Greece" },
    Country { alpha2: "GL", alpha3: "GRL", numeric: Some("304"), name: "Greenland" },
    Country { alpha2: "GD", alpha3: "GRD", numeric: Some("308"), name: "Grenada" },
    Country { alpha2: "GP", alpha3: "GLP", numeric: Some("312"), name: "Guadeloupe" },
    Country { alpha2: "GU", alpha3: "GUM", numeric: Some("316"), name: "Guam" },
    Country { alpha2: "GT", alpha3: "GTM", numeric: Some("320"), name: "Guatemala" },
    Country { alpha2: "GG", alpha3: "GGY", numeric: Some("831"), name: "Guernsey" },
    Country { alpha2: "GN", alpha3: "GIN", numeric: Some("324"), name: "Guinea" },
    Country { alpha2: "GW", alpha3: "GNB", numeric: Some("624"), name: "Guinea-Bissau" },
    Country { alpha2: "GY", alpha3: "GUY", numeric: Some("328"), name: "Guyana" },
    Country { alpha2: "HT", alpha3: "HTI", numeric: Some("332"), name: "Haiti" },
    Country { alpha2: "HM", alpha3: "HMD", numeric: Some("334"), name: "Heard Island and McDonald Islands" },
    Country { alpha2: "VA", alpha3: "VAT", numeric: Some("336"), name: "Holy See" },
    Country { alpha2: "HN", alpha3: "HND", numeric: Some("340"), name: "Honduras" },
    Country { alpha2: "HK", alpha3: "HKG", numeric: Some("344"), name: "Hong Kong" },
    Country { alpha2: "HU", alpha3: "HUN", numeric: Some("348"), name: "Hungary" },
    Country { alpha2: "IS", alpha3: "ISL", numeric: Some("352"), name: "Iceland" },
    Country { alpha2: "IN", alpha3: "IND", numeric: Some("356"), name: "India" },
    Country { alpha2: "ID", alpha3: "IDN", numeric: Some("360"), name: "Indonesia" },
    Country { alpha2: "IR", alpha3: "IRN", numeric: Some("364"), name: "Iran (Islamic Republic of)" },
    Country { alpha2: "IQ", alpha3: "IRQ", numeric: Some("368"), name: "Iraq" },
    Country { alpha2: "IE", alpha3: "IRL", numeric: Some("372"), name: "Ireland" },
    Country { alpha2: "IM", alpha3: "IMN", numeric: Some("833"), name: "Isle of Man" },
    Country { alpha2: "IL", alpha3: "ISR", numeric: Some("376"), name: "Israel" },
    Country { alpha2: "IT", alpha3: "ITA", numeric: Some("380"), name: "Italy" },
    Country { alpha2: "JM", alpha3: "JAM", numeric: Some("388"), name: "Jamaica" },
    Country { alpha2: "JP", alpha3: "JPN", numeric: Some("392"), name: "Japan" },
    Country { alpha2: "JE", alpha3: "JEY", numeric: Some("832"), name: "Jersey" },
    Country { alpha2: "JO", alpha3: "JOR", numeric: Some("400"), name: "Jordan" },
    Country { alpha2: "KZ", alpha3: "KAZ", numeric: Some("398"), name: "Kazakhstan" },
    Country { alpha2: "KE", alpha3: "KEN", numeric: Some("404"), name: "Kenya" },
    Country { alpha2: "KI", alpha3: "KIR", numeric: Some("296"), name: "Kiribati" },
    Country { alpha2: "KP", alpha3: "PRK", numeric: Some("408"), name: "Korea (Democratic People's Republic of)" },
    Country { alpha2: "KR", alpha3: "KOR", numeric: Some("410"), name: "Korea, Republic of" },
    Country { alpha2: "KW", alpha3: "KWT", numeric: Some("414"), name: "Kuwait" },
    Country { alpha2: "KG", alpha3: "KGZ", numeric: Some("417"), name: "Kyrgyzstan" },
    Country { alpha2: "LA", alpha3: "LAO", numeric: Some("418"), name: "Lao People's Democratic Republic" },
    Country { alpha2: "LV", alpha3: "LVA", numeric: Some("428"), name: "Latvia" },
    Country { alpha2: "LB", alpha3: "LBN", numeric: Some("422"), name: "Lebanon" },
    Country { alpha2: "LS", alpha3: "LSO", numeric: Some("426"), name: "Lesotho" },
    Country { alpha2: "LR", alpha3: "LBR", numeric: Some("430"), name: "Liberia" },
    Country { alpha2: "LY", alpha3: "LBY", numeric: Some("434"), name: "Libya" },
    Country { alpha2: "LI", alpha3: "LIE", numeric: Some("438"), name: "Liechtenstein" },
    Country { alpha2: "LT", alpha3: "LTU", numeric: Some("440"), name: "Lithuania" },
    Country { alpha2: "LU", alpha3: "LUX", numeric: Some("442"), name: "Luxembourg" },
    Country { alpha2: "MO", alpha3: "MAC", numeric: Some("446"), name: "Macao" },
    Country { alpha2: "MG", alpha3: "MDG", numeric: Some("450"), name: "Madagascar" },
    Country { alpha2: "MW", alpha3: "MWI", numeric: Some("454"), name: "Malawi" },
    Country { alpha2: "MY", alpha3: "MYS", numeric: Some("458"), name: "Malaysia" },
    Country { alpha2: "MV", alpha3: "MDV", numeric: Some("462"), name: "Maldives" },
    Country { alpha2: "ML", alpha3: "MLI", numeric: Some("466"), name: "Mali" },
    Country { alpha2: "MT", alpha3: "MLT", numeric: Some("470"), name: "Malta" },
    Country { alpha2: "MH", alpha3: "MHL", numeric: Some("584"), name: "Marshall Islands" },
    Country { alpha2: "MQ", alpha3: "MTQ", numeric: Some("474"), name: "Martinique" },
    Country { alpha2: "MR", alpha3: "MRT", numeric: Some("478"), name: "Mauritania" },
    Country { alpha2: "MU", alpha3: "MUS", numeric: Some("480"), name: "Mauritius" },
    Country { alpha2: "YT", alpha3: "MYT", numeric: Some("175"), name: "Mayotte" },
    Country { alpha2: "MX", alpha3: "MEX", numeric: Some("484"), name: "Mexico" },
    Country { alpha2: "FM", alpha3: "FSM", numeric: Some("583"), name: "Micronesia (Federated States of)" },
    Country { alpha2: "MD", alpha3: "MDA", numeric: Some("498"), name: "Moldova, Republic of" },
    Country { alpha2: "MC", alpha3: "MCO", numeric: Some("492"), name: "Monaco" },
    Country { alpha2: "MN", alpha3: "MNG", numeric: Some("496"), name: "Mongolia" },
    Country { alpha2: "ME", alpha3: "MNE", numeric: Some("499"), name: "Montenegro" },
    Country { alpha2: "MS", alpha3: "MSR", numeric: Some("500"), name: "Montserrat" },
    Country { alpha2: "MA", alpha3: "MAR", numeric: Some("504"), name: "Morocco" },
    Country { alpha2: "MZ", alpha3: "MOZ", numeric: Some("508"), name: "Mozambique" },
    Country { alpha2: "MM", alpha3: "MMR", numeric: Some("104"), name: "Myanmar" },
    Country { alpha2: "NA", alpha3: "NAM", numeric: Some("516"), name: "Namibia" },
    Country { alpha2: "NR", alpha3: "NRU", numeric: Some("520"), name: "Nauru" },
    Country { alpha2: "NP", alpha3: "NPL", numeric: Some("524"), name: "Nepal" },
    Country { alpha2: "NL", alpha3: "NLD", numeric: Some("528"), name: "Netherlands" },
    Country { alpha2: "NC", alpha3: "NCL", numeric: Some("540"), name: "New Caledonia" },
    Country { alpha2: "NZ", alpha3: "NZL", numeric: Some("554"), name: "New Zealand" },
    Country { alpha2: "NI", alpha3: "NIC", numeric: Some("558"), name: "Nicaragua" },
    Country { alpha2: "NE", alpha3: "NER", numeric: Some("562"), name: "Niger" },
    Country { alpha2: "NG", alpha3: "NGA", numeric: Some("566"), name: "Nigeria" },
    Country { alpha2: "NU", alpha3: "NIU", numeric: Some("570"), name: "Niue" },
    Country { alpha2: "NF", alpha3: "NFK", numeric: Some("574"), name: "Norfolk Island" },
    Country { alpha2: "MK", alpha3: "MKD", numeric: Some("807"), name: "North Macedonia" },
    Country { alpha2: "MP", alpha3: "MNP", numeric: Some("580"), name: "Northern Mariana Islands" },
    Country { alpha2: "NO", alpha3: "NOR", numeric: Some("578"), name: "Norway" },
    Country { alpha2: "OM", alpha3: "OMN", numeric: Some("512"), name: "Oman" },
    Country { alpha2: "PK", alpha3: "PAK", numeric: Some("586"), name: "Pakistan" },
    Country { alpha2: "PW", alpha3: "PLW", numeric: Some("585"), name: "Palau" },
    Country { alpha2: "PS", alpha3: "PSE", numeric: Some("275"), name: "Palestine, State of" },
    Country { alpha2: "PA", alpha3: "PAN", numeric: Some("591"), name: "Panama" },
    Country { alpha2: "PG", alpha3: "PNG", numeric: Some("598"), name: "Papua New Guinea" },
    Country { alpha2: "PY", alpha3: "PRY", numeric: Some("600"), name: "Paraguay" },
    Country { alpha2: "PE", alpha3: "PER", numeric: Some("604"), name: "Peru" },
    Country { alpha2: "PH", alpha3: "PHL", numeric: Some("608"), name: "Philippines" },
    Country { alpha2: "PN", alpha3: "PCN", numeric: Some("612"), name: "Pitcairn" },
    Country { alpha2: "PL", alpha3: "POL", numeric: Some("616"), name: "Poland" },
    Country { alpha2: "PT", alpha3: "PRT", numeric: Some("620"), name: "Portugal" },
    Country { alpha2: "PR", alpha3: "PRI", numeric: Some("630"), name: "Puerto Rico" },
    Country { alpha2: "QA", alpha3: "QAT", numeric: Some("634"), name: "Qatar" },
    Country { alpha2: "RE", alpha3: "REU", numeric: Some("638"), name: "Réunion" },
    Country { alpha2: "RO", alpha3: "ROU", numeric: Some("642"), name: "Romania" },
    Country { alpha2: "RU", alpha3: "RUS", numeric: Some("643"), name: "Russian Federation" },
    Country { alpha2: "RW", alpha3: "RWA", numeric: Some("646"), name: "Rwanda" },
    Country { alpha2: "BL", alpha3: "BLM", numeric: Some("652"), name: "Saint Barthélemy" },
    Country { alpha2: "SH", alpha3: "SHN", numeric: Some("654"), name: "Saint Helena, Ascension and Tristan da Cunha" },
    Country { alpha2: "KN", alpha3: "KNA", numeric: Some("659"), name: "Saint Kitts and Nevis" },
    Country { alpha2: "LC", alpha3: "LCA", numeric: Some("662"), name: "Saint Lucia" },
    Country { alpha2: "MF", alpha3: "MAF", numeric: Some("663"), name: "Saint Martin (French part)" },
    Country { alpha2: "PM", alpha3: "SPM", numeric: Some("666"), name: "Saint Pierre and Miquelon" },
    Country { alpha2: "VC", alpha3: "VCT", numeric: Some("670"), name: "Saint Vincent and the Grenadines" },
    Country { alpha2: "WS", alpha3: "WSM", numeric: Some("882"), name: "Samoa" },
    Country { alpha2: "SM", alpha3: "SMR", numeric: Some("674"), name: "San Marino" },
    Country { alpha2: "ST", alpha3: "STP", numeric: Some("678"), name: "Sao Tome and Principe" },
    Country { alpha2: "SA", alpha3: "SAU", numeric: Some("682"), name: "Saudi Arabia" },
    Country { alpha2: "SN", alpha3: "SEN", numeric: Some("686"), name: "Senegal" },
    Country { alpha2: "RS", alpha3: "SRB", numeric: Some("688"), name: "Serbia" },
    Country { alpha2: "SC", alpha3: "SYC", numeric: Some("690"), name: "Seychelles" },
    Country { alpha2: "SL", alpha3: "SLE", numeric: Some("694"), name: "Sierra Leone" },
    Country { alpha2: "SG", alpha3: "SGP", numeric: Some("702"), name: "Singapore" },
    Country { alpha2: "SX", alpha3: "SXM", numeric: Some("534"), name: "Sint Maarten (Dutch part)" },
    Country { alpha2: "SK", alpha3: "SVK", numeric: Some("703"), name: "Slovakia" },
    Country { alpha2: "SI", alpha3: "SVN", numeric: Some("705"), name: "Slovenia" },
    Country { alpha2: "SB", alpha3: "SLB", numeric: Some("090"), name: "Solomon Islands" },
    Country { alpha2: "SO", alpha3: "SOM", numeric: Some("706"), name: "Somalia" },
    Country { alpha2: "ZA", alpha3: "ZAF", numeric: Some("710"), name: "South Africa" },
    Country { alpha2: "GS", alpha3: "SGS", numeric: Some("239"), name: "South Georgia and the South Sandwich Islands" },
    Country { alpha2: "SS", alpha3: "SSD", numeric: Some("728"), name: "South Sudan" },
    Country { alpha2: "ES", alpha3: "ESP", numeric: Some("724"), name: "Spain" },
    Country { alpha2: "LK", alpha3: "LKA", numeric: Some("144"), name: "Sri Lanka" },
    Country { alpha2: "SD", alpha3: "SDN", numeric: Some("729"), name: "Sudan" },
    Country { alpha2: "SR", alpha3: "SUR", numeric: Some("740"), name: "Suriname" },
    Country { alpha2: "SJ", alpha3: "SJM", numeric: Some("744"), name: "Svalbard and Jan Mayen" },
    Country { alpha2: "SE", alpha3: "SWE", numeric: Some("752"), name: "Sweden" },
    Country { alpha2: "CH", alpha3: "CHE", numeric: Some("756"), name: "Switzerland" },
    Country { alpha2: "SY", alpha3: "SYR", numeric: Some("760"), name: "Syrian Arab Republic" },
    Country { alpha2: "TW", alpha3: "TWN", numeric: Some("158"), name: "Taiwan, Province of China" },
    Country { alpha2: "TJ", alpha3: "TJK", numeric: Some("762"), name: "Tajikistan" },
    Country { alpha2: "TZ", alpha3: "TZA", numeric: Some("834"), name: "Tanzania, United Republic of" },
    Country { alpha2: "TH", alpha3: "THA", numeric: Some("764"), name: "Thailand" },
    Country { alpha2: "TL", alpha3: "TLS", numeric: Some("626"), name: "Timor-Leste" },
    Country { alpha2: "TG", alpha3: "TGO", numeric: Some("768"), name: "Togo" },
    Country { alpha2: "TK", alpha3: "TKL", numeric: Some("772"), name: "Tokelau" },
    Country { alpha2: "TO", alpha3: "TON", numeric: Some("776"), name: "Tonga" },
    Country { alpha2: "TT", alpha3: "TTO", numeric: Some("780"), name: "Trinidad and Tobago" },
    Country { alpha2: "TN", alpha3: "TUN", numeric: Some("788"), name: "Tunisia" },
    Country { alpha2: "TR", alpha3: "TUR", numeric: Some("792"), name: "Türkiye" },
    Country { alpha2: "TM", alpha3: "TKM", numeric: Some("795"), name: "Turkmenistan" },
    Country { alpha2: "TC", alpha3: "TCA", numeric: Some("796"), name: "Turks and Caicos Islands" },
    Country { alpha2: "TV", alpha3: "TUV", numeric: Some("798"), name: "Tuvalu" },
    Country { alpha2: "UG", alpha3: "UGA", numeric: Some("800"), name: "Uganda" },
    Country { alpha2: "UA", alpha3: "UKR", numeric: Some("804"), name: "Ukraine" },
    Country { alpha2: "AE", alpha3: "ARE", numeric: Some("784"), name: "United Arab Emirates" },
    Country {
        alpha2: "GB",
        alpha3: "GBR",
        numeric: Some("826"),
        name: "United Kingdom of Great Britain and Northern Ireland",
    },
    Country { alpha2: "US", alpha3: "USA", numeric: Some("840"), name: "United States of America" },
    Country { alpha2: "UM", alpha3: "UMI", numeric: Some("581"), name: "United States Minor Outlying Islands" },
    Country { alpha2: "UY", alpha3: "URY", numeric: Some("858"), name: "Uruguay" },
    Country { alpha2: "UZ", alpha3: "UZB", numeric: Some("860"), name: "Uzbekistan" },
    Country { alpha2: "VU", alpha3: "VUT", numeric: Some("548"), name: "Vanuatu" },
    Country { alpha2: "VE", alpha3: "VEN", numeric: Some("862"), name: "Venezuela (Bolivarian Republic of)" },
    Country { alpha2: "VN", alpha3: "VNM", numeric: Some("704"), name: "Viet Nam" },
    Country { alpha2: "VG", alpha3: "VGB", numeric: Some("092"), name: "Virgin Islands (British)" },
    Country { alpha2: "VI", alpha3: "VIR", numeric: Some("850"), name: "Virgin Islands (U.S.)" },
    Country { alpha2: "WF", alpha3: "WLF", numeric: Some("876"), name: "Wallis and Futuna" },
    Country { alpha2: "EH", alpha3: "ESH", numeric: Some("732"), name: "Western Sahara" },
    Country { alpha2: "YE", alpha3: "YEM", numeric: Some("887"), name: "Yemen" },
    Country { alpha2: "ZM", alpha3: "ZMB", numeric: Some("894"), name: "Zambia" },
    Country { alpha2: "ZW", alpha3: "ZWE", numeric: Some("716"), name: "Zimbabwe" },
    Country { alpha2: "XK", alpha3: "XKX", numeric: None, name: "Kosovo" },
];

/// Codes that are not ISO 3166-1 but appear where a country code is expected:
/// the UK's own "UK", the codes ICAO 9303 uses in passports ("D" for Germany,
/// the British nationality codes, "RKS" for Kosovo) and the EU's "EL" for Greece.
const CODE_ALIASES: &[(&str, &str)] = &[
    ("UK", "GB"),
    ("D", "DE"),
    ("GBD", "GB"),
    ("GBN", "GB"),
    ("GBO", "GB"),
    ("GBP", "GB"),
    ("GBS", "GB"),
    ("RKS", "XK"),
    ("EL", "GR"),
];

/// Names, short forms and nationality adjectives, already folded (see [`fold`]),
/// that do not appear in the ISO names.
const NAME_ALIASES: &[(&str, &str)] = &[
    // Short and everyday names.
    ("britain", "GB"),
    ("great britain", "GB"),
    ("united kingdom", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("united states", "US"),
    ("usa", "US"),
    ("america", "US"),
    ("turkey", "TR"),
    ("iran", "IR"),
    ("persia", "IR"),
    ("syria", "SY"),
    ("vietnam", "VN"),
    ("russia", "RU"),
    ("ivory coast", "CI"),
    ("cote divoire", "CI"),
    ("dr congo", "CD"),
    ("drc", "CD"),
    ("d r congo", "CD"),
    ("congo kinshasa", "CD"),
    ("democratic republic of congo", "CD"),
    ("zaire", "CD"),
    ("congo brazzaville", "CG"),
    ("republic of congo", "CG"),
    ("republic of the congo", "CG"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("north korea", "KP"),
    ("dprk", "KP"),
    ("laos", "LA"),
    ("lao", "LA"),
    ("bolivia", "BO"),
    ("venezuela", "VE"),
    ("tanzania", "TZ"),
    ("moldova", "MD"),
    ("micronesia", "FM"),
    ("taiwan", "TW"),
    ("palestine", "PS"),
    ("gaza", "PS"),
    ("west bank", "PS"),
    ("brunei", "BN"),
    ("czech republic", "CZ"),
    ("swaziland", "SZ"),
    ("macedonia", "MK"),
    ("cape verde", "CV"),
    ("vatican", "VA"),
    ("vatican city", "VA"),
    ("burma", "MM"),
    ("east timor", "TL"),
    ("uae", "AE"),
    ("emirates", "AE"),
    ("holland", "NL"),
    ("the netherlands", "NL"),
    ("the gambia", "GM"),
    ("the bahamas", "BS"),
    ("british virgin islands", "VG"),
    ("us virgin islands", "VI"),
    ("falkland islands", "FK"),
    ("falklands", "FK"),
    ("hong kong sar", "HK"),
    ("macau", "MO"),
    ("st helena", "SH"),
    ("saint helena", "SH"),
    ("st lucia", "LC"),
    ("st kitts and nevis", "KN"),
    ("st vincent and the grenadines", "VC"),
    ("curacao", "CW"),
    ("reunion", "RE"),
    ("turkiye", "TR"),
    ("kurdistan", "IQ"),
    ("somaliland", "SO"),
    ("republic of ireland", "IE"),
    ("eire", "IE"),
    // Nationality adjectives, as nationality fields often hold them.
    ("afghan", "AF"),
    ("albanian", "AL"),
    ("algerian", "DZ"),
    ("angolan", "AO"),
    ("bangladeshi", "BD"),
    ("belarusian", "BY"),
    ("belgian", "BE"),
    ("bosnian", "BA"),
    ("british", "GB"),
    ("bulgarian", "BG"),
    ("burundian", "BI"),
    ("cameroonian", "CM"),
    ("chadian", "TD"),
    ("chinese", "CN"),
    ("congolese", "CD"),
    ("croatian", "HR"),
    ("cypriot", "CY"),
    ("czech", "CZ"),
    ("danish", "DK"),
    ("dutch", "NL"),
    ("egyptian", "EG"),
    ("eritrean", "ER"),
    ("ethiopian", "ET"),
    ("french", "FR"),
    ("gambian", "GM"),
    ("georgian", "GE"),
    ("german", "DE"),
    ("ghanaian", "GH"),
    ("greek", "GR"),
    ("guinean", "GN"),
    ("hungarian", "HU"),
    ("indian", "IN"),
    ("iranian", "IR"),
    ("iraqi", "IQ"),
    ("irish", "IE"),
    ("italian", "IT"),
    ("ivorian", "CI"),
    ("jordanian", "JO"),
    ("kenyan", "KE"),
    ("kosovan", "XK"),
    ("kosovar", "XK"),
    ("kuwaiti", "KW"),
    ("lebanese", "LB"),
    ("libyan", "LY"),
    ("lithuanian", "LT"),
    ("malian", "ML"),
    ("maltese", "MT"),
    ("moldovan", "MD"),
    ("moroccan", "MA"),
    ("nepalese", "NP"),
    ("nigerian", "NG"),
    ("nigerien", "NE"),
    ("pakistani", "PK"),
    ("palestinian", "PS"),
    ("polish", "PL"),
    ("portuguese", "PT"),
    ("romanian", "RO"),
    ("russian", "RU"),
    ("rwandan", "RW"),
    ("saudi", "SA"),
    ("senegalese", "SN"),
    ("serbian", "RS"),
    ("sierra leonean", "SL"),
    ("slovak", "SK"),
    ("somali", "SO"),
    ("south sudanese", "SS"),
    ("spanish", "ES"),
    ("sri lankan", "LK"),
    ("sudanese", "SD"),
    ("swedish", "SE"),
    ("swiss", "CH"),
    ("syrian", "SY"),
    ("tunisian", "TN"),
    ("turkish", "TR"),
    ("ugandan", "UG"),
    ("ukrainian", "UA"),
    ("vietnamese", "VN"),
    ("yemeni", "YE"),
    ("zimbabwean", "ZW"),
];

/// Looks a country up by its ISO 3166-1 alpha-2 or alpha-3 code, in any case;
/// "UK" and the ICAO 9303 passport codes ("D", "GBD", "RKS", ...) are accepted too.
pub fn country_by_code(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    let upper = CODE_ALIASES.iter().find(|(alias, _)| *alias == upper).map_or(upper.as_str(), |(_, target)| target);
    match upper.len() {
        2 => COUNTRIES.iter().find(|c| c.alpha2 == upper),
        3 => COUNTRIES.iter().find(|c| c.alpha3 == upper),
        _ => None,
    }
}

/// Finds the country a piece of text names: a code (see [`country_by_code`]),
/// the ISO English name, a common alternate ("Britain", "Turkey", "DR Congo",
/// "Ivory Coast") or a nationality adjective ("Eritrean"). Case, diacritics
/// and punctuation are ignored.
pub fn find_country(text: &str) -> Option<&'static Country> {
    let text = text.trim();
    if text.is_empty() || text.len() > 120 {
        return None;
    }
    if let Some(country) = country_by_code(text) {
        return Some(country);
    }
    let key = fold(text);
    let key = key.as_str();
    let index = name_index();
    index.get(key).copied().or_else(|| key.strip_prefix("the ").and_then(|rest| index.get(rest).copied()))
}

/// Folds a name for comparison: transliterated to ASCII, lower-cased, apostrophes
/// dropped, every other run of non-alphanumerics made one space.
fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            space = true;
        }
    }
    out
}

/// Folded name → country, built once: ISO names, their forms without the
/// parenthesised or comma-separated qualifier ("Iran", "Korea, Republic of" →
/// "republic of korea"), and the aliases. A shortened form that two countries
/// share ("virgin islands") is left out rather than guessed.
fn name_index() -> &'static HashMap<String, &'static Country> {
    static INDEX: OnceLock<HashMap<String, &'static Country>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, &'static Country> = HashMap::new();
        let mut derived: HashMap<String, Option<&'static Country>> = HashMap::new();
        for country in &COUNTRIES {
            index.insert(fold(country.name), country);
            let mut forms = Vec::new();
            if let Some((head, rest)) = country.name.split_once(" (") {
                forms.push(head.to_string());
                let inner = rest.trim_end_matches(')');
                if inner.ends_with(" of") {
                    forms.push(format!("{inner} {head}"));
                }
            }
            if let Some((head, tail)) = country.name.split_once(", ") {
                forms.push(format!("{tail} {head}"));
            }
            for form in forms {
                derived.entry(fold(&form)).and_modify(|c| *c = None).or_insert(Some(country));
            }
        }
        for (key, country) in derived {
            if let Some(country) = country {
                index.entry(key).or_insert(country);
            }
        }
        for (alias, code) in NAME_ALIASES {
            if let Some(country) = COUNTRIES.iter().find(|c| c.alpha2 == *code) {
                index.insert((*alias).to_string(), country);
            }
        }
        index
    })
}

/// The flag state that the ITU allocated a Maritime Identification Digits
/// (MID) block to, so that a vessel's MMSI tells its flag. Territories with
/// their own MID (Gibraltar, the Faroes, Hong Kong, ...) map to themselves;
/// the Azores and Madeira map to Portugal, and French sub-Antarctic MIDs to
/// the French Southern Territories.
pub fn mmsi_mid_country(mid: u16) -> Option<&'static Country> {
    let code = match mid {
        201 => "AL",
        202 => "AD",
        203 => "AT",
        204 | 255 | 263 => "PT",
        205 => "BE",
        206 => "BY",
        207 => "BG",
        208 => "VA",
        209 | 210 | 212 => "CY",
        211 | 218 => "DE",
        213 => "GE",
        214 => "MD",
        215 | 229 | 248 | 249 | 256 => "MT",
        216 => "AM",
        219 | 220 => "DK",
        224 | 225 => "ES",
        226..=228 => "FR",
        230 => "FI",
        231 => "FO",
        232..=235 => "GB",
        236 => "GI",
        237 | 239..=241 => "GR",
        238 => "HR",
        242 => "MA",
        243 => "HU",
        244..=246 => "NL",
        247 => "IT",
        250 => "IE",
        251 => "IS",
        252 => "LI",
        253 => "LU",
        254 => "MC",
        257..=259 => "NO",
        261 => "PL",
        262 => "ME",
        264 => "RO",
        265 | 266 => "SE",
        267 => "SK",
        268 => "SM",
        269 => "CH",
        270 => "CZ",
        271 => "TR",
        272 => "UA",
        273 => "RU",
        274 => "MK",
        275 => "LV",
        276 => "EE",
        277 => "LT",
        278 => "SI",
        279 => "RS",
        301 => "AI",
        303 | 338 | 366..=369 => "US",
        304 | 305 => "AG",
        306 => "CW",
        307 => "AW",
        308 | 309 | 311 => "BS",
        310 => "BM",
        312 => "BZ",
        314 => "BB",
        316 => "CA",
        319 => "KY",
        321 => "CR",
        323 => "CU",
        325 => "DM",
        327 => "DO",
        329 => "GP",
        330 => "GD",
        331 => "GL",
        332 => "GT",
        334 => "HN",
        336 => "HT",
        339 => "JM",
        341 => "KN",
        343 => "LC",
        345 => "MX",
        347 => "MQ",
        348 => "MS",
        350 => "NI",
        351..=357 | 370..=374 => "PA",
        358 => "PR",
        359 => "SV",
        361 => "PM",
        362 => "TT",
        364 => "TC",
        375..=377 => "VC",
        378 => "VG",
        379 => "VI",
        401 => "AF",
        403 => "SA",
        405 => "BD",
        408 => "BH",
        410 => "BT",
        412..=414 => "CN",
        416 => "TW",
        417 => "LK",
        419 => "IN",
        422 => "IR",
        423 => "AZ",
        425 => "IQ",
        428 => "IL",
        431 | 432 => "JP",
        434 => "TM",
        436 => "KZ",
        437 => "UZ",
        438 => "JO",
        440 | 441 => "KR",
        443 => "PS",
        445 => "KP",
        447 => "KW",
        450 => "LB",
        451 => "KG",
        453 => "MO",
        455 => "MV",
        457 => "MN",
        459 => "NP",
        461 => "OM",
        463 => "PK",
        466 => "QA",
        468 => "SY",
        470 | 471 => "AE",
        472 => "TJ",
        473 | 475 => "YE",
        477 => "HK",
        478 => "BA",
        501 | 607 | 618 | 635 => "TF",
        503 => "AU",
        506 => "MM",
        508 => "BN",
        510 => "FM",
        511 => "PW",
        512 => "NZ",
        514 | 515 => "KH",
        516 => "CX",
        518 => "CK",
        520 => "FJ",
        523 => "CC",
        525 => "ID",
        529 => "KI",
        531 => "LA",
        533 => "MY",
        536 => "MP",
        538 => "MH",
        540 => "NC",
        542 => "NU",
        544 => "NR",
        546 => "PF",
        548 => "PH",
        550 => "TL",
        553 => "PG",
        555 => "PN",
        557 => "SB",
        559 => "AS",
        561 => "WS",
        563..=566 => "SG",
        567 => "TH",
        570 => "TO",
        572 => "TV",
        574 => "VN",
        576 | 577 => "VU",
        578 => "WF",
        601 => "ZA",
        603 => "AO",
        605 => "DZ",
        608 | 665 => "SH",
        609 => "BI",
        610 => "BJ",
        611 => "BW",
        612 => "CF",
        613 => "CM",
        615 => "CG",
        616 | 620 => "KM",
        617 => "CV",
        619 => "CI",
        621 => "DJ",
        622 => "EG",
        624 => "ET",
        625 => "ER",
        626 => "GA",
        627 => "GH",
        629 => "GM",
        630 => "GW",
        631 => "GQ",
        632 => "GN",
        633 => "BF",
        634 => "KE",
        636 | 637 => "LR",
        638 => "SS",
        642 => "LY",
        644 => "LS",
        645 => "MU",
        647 => "MG",
        649 => "ML",
        650 => "MZ",
        654 => "MR",
        655 => "MW",
        656 => "NE",
        657 => "NG",
        659 => "NA",
        660 => "RE",
        661 => "RW",
        662 => "SD",
        663 => "SN",
        664 => "SC",
        666 => "SO",
        667 => "SL",
        668 => "ST",
        669 => "SZ",
        670 => "TD",
        671 => "TG",
        672 => "TN",
        674 | 677 => "TZ",
        675 => "UG",
        676 => "CD",
        678 => "ZM",
        679 => "ZW",
        701 => "AR",
        710 => "BR",
        720 => "BO",
        725 => "CL",
        730 => "CO",
        735 => "EC",
        740 => "FK",
        745 => "GF",
        750 => "GY",
        755 => "PY",
        760 => "PE",
        765 => "SR",
        770 => "UY",
        775 => "VE",
        _ => return None,
    };
    COUNTRIES.iter().find(|c| c.alpha2 == code)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_table_is_complete_and_unique() {
        assert_eq!(COUNTRIES.len(), 250);
        let alpha2: HashSet<_> = COUNTRIES.iter().map(|c| c.alpha2).collect();
        let alpha3: HashSet<_> = COUNTRIES.iter().map(|c| c.alpha3).collect();
        assert_eq!(alpha2.len(), 250);
        assert_eq!(alpha3.len(), 250);
        for c in &COUNTRIES {
            assert!(c.alpha2.len() == 2 && c.alpha2.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
            assert!(c.alpha3.len() == 3 && c.alpha3.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
            assert_eq!(find_country(c.name), Some(c), "{}", c.name);
            assert_eq!(country_by_code(c.alpha2), Some(c));
            assert_eq!(country_by_code(&c.alpha3.to_ascii_lowercase()), Some(c));
        }
    }

    #[test]
    fn numeric_codes_are_unique_and_three_digits() {
        let mut seen = HashSet::new();
        for c in &COUNTRIES {
            let Some(numeric) = c.numeric else {
                assert_eq!(c.alpha2, "XK", "only Kosovo lacks a numeric code");
                continue;
            };
            assert!(numeric.len() == 3 && numeric.bytes().all(|b| b.is_ascii_digit()), "{c:?}");
            assert!(seen.insert(numeric), "duplicate numeric code {numeric}");
        }
        assert_eq!(seen.len(), 249);
        let by_alpha2 = |code: &str| COUNTRIES.iter().find(|c| c.alpha2 == code).and_then(|c| c.numeric);
        assert_eq!(by_alpha2("GB"), Some("826"));
        assert_eq!(by_alpha2("AF"), Some("004"));
        assert_eq!(by_alpha2("ER"), Some("232"));
    }

    #[test]
    fn codes_resolve_in_any_case() {
        assert_eq!(country_by_code("gb").map(|c| c.alpha3), Some("GBR"));
        assert_eq!(country_by_code("UK").map(|c| c.alpha2), Some("GB"));
        assert_eq!(country_by_code(" fra ").map(|c| c.alpha2), Some("FR"));
        assert_eq!(country_by_code("D").map(|c| c.alpha2), Some("DE"));
        assert_eq!(country_by_code("RKS").map(|c| c.alpha2), Some("XK"));
        assert_eq!(country_by_code("ZZ"), None);
        assert_eq!(country_by_code("GBRX"), None);
        assert_eq!(country_by_code("É"), None);
        assert_eq!(country_by_code(""), None);
    }

    #[test]
    fn names_and_alternates_resolve() {
        let code = |text: &str| find_country(text).map(|c| c.alpha2);
        for (text, expected) in [
            ("Britain", "GB"),
            ("United Kingdom", "GB"),
            ("the United Kingdom", "GB"),
            ("UK", "GB"),
            ("Turkey", "TR"),
            ("Türkiye", "TR"),
            ("TURKIYE", "TR"),
            ("Iran", "IR"),
            ("Islamic Republic of Iran", "IR"),
            ("Syria", "SY"),
            ("Vietnam", "VN"),
            ("Viet Nam", "VN"),
            ("Eritrea", "ER"),
            ("Sudan", "SD"),
            ("South Sudan", "SS"),
            ("Afghanistan", "AF"),
            ("albania", "AL"),
            ("Ivory Coast", "CI"),
            ("Côte d’Ivoire", "CI"),
            ("Cote d'Ivoire", "CI"),
            ("Russia", "RU"),
            ("Libya", "LY"),
            ("DR Congo", "CD"),
            ("Democratic Republic of the Congo", "CD"),
            ("Congo", "CG"),
            ("Republic of Korea", "KR"),
            ("Curacao", "CW"),
            ("Eritrean", "ER"),
            ("afghan", "AF"),
            ("Kosovo", "XK"),
            ("The Gambia", "GM"),
        ] {
            assert_eq!(code(text), Some(expected), "{text}");
        }
        assert_eq!(code("Virgin Islands"), None, "ambiguous between VG and VI");
        assert_eq!(code("Atlantis"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn mids_give_flag_states() {
        let flag = |mid: u16| mmsi_mid_country(mid).map(|c| c.alpha2);
        for (mid, expected) in [
            (232, "GB"),
            (235, "GB"),
            (226, "FR"),
            (228, "FR"),
            (247, "IT"),
            (636, "LR"),
            (538, "MH"),
            (229, "MT"),
            (256, "MT"),
            (271, "TR"),
            (642, "LY"),
            (672, "TN"),
            (622, "EG"),
            (211, "DE"),
            (218, "DE"),
            (245, "NL"),
            (224, "ES"),
            (237, "GR"),
            (240, "GR"),
            (209, "CY"),
            (212, "CY"),
            (338, "US"),
            (367, "US"),
            (413, "CN"),
            (431, "JP"),
            (441, "KR"),
            (352, "PA"),
            (372, "PA"),
            (311, "BS"),
            (201, "AL"),
            (775, "VE"),
        ] {
            assert_eq!(flag(mid), Some(expected), "MID {mid}");
        }
        for mid in [0, 100, 200, 217, 260, 776, 999] {
            assert_eq!(flag(mid), None, "MID {mid}");
        }
    }

    proptest::proptest! {
        #[test]
        fn lookups_never_panic(s in "\\PC{0,40}") {
            let _ = find_country(&s);
            let _ = country_by_code(&s);
        }
    }
}
