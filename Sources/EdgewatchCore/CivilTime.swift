/// Calendar fields of a Unix time in UTC, for PromQL's date functions (no Foundation).
public enum CivilTime {
    /// A calendar field (`minute`, `hour`, `day_of_week`, `day_of_month`, `day_of_year`, `days_in_month`, `month`, `year`) in UTC.
    public static func component(_ name: String, ofUnixSeconds seconds: Double) -> Double {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return .nan }
        let total = Int64(seconds.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        switch name {
        case "minute": return Double(secondOfDay / 60 % 60)
        case "hour": return Double(secondOfDay / 3600)
        case "day_of_week": return Double(((days % 7) + 11) % 7)
        case "day_of_month": return Double(day)
        case "day_of_year": return Double(days - daysFromCivil(year, 1, 1) + 1)
        case "days_in_month":
            let next = month == 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)
            return Double(next - daysFromCivil(year, month, 1))
        case "month": return Double(month)
        case "year": return Double(year)
        default: return .nan
        }
    }

    /// Days since 1970-01-01 of a calendar date (proleptic Gregorian).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 { daysFromCivil(year, month, day) }

    /// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
