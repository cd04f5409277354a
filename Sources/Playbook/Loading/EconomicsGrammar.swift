/// The grammar of costs (S2 key point 3), benefits (S1 step 5) and evaluation settings.
extension Syntax where Value == CostModel {
    static var costs: Syntax<CostModel> {
        .mapping("costs") { map in
            let staff = map.optional("internal_staff", .internalStaff)
            return CostModel(currency: map.required("currency", .currency) ?? "",
                             licence: map.optional("licence", .licence),
                             implementation: map.optional("implementation", .amount) ?? 0,
                             internalStaffInitial: staff?.initial ?? 0,
                             internalStaffPerYear: staff?.perYear ?? 0,
                             training: map.optional("training", .amount) ?? 0,
                             maintenance: map.optional("maintenance", .maintenance),
                             location: map.location)
        }
    }
}

extension Syntax where Value == String {
    /// An ISO 4217 code: three capital letters such as `CNY` or `EUR`.
    static var currency: Syntax<String> {
        Syntax<String>.text.constrained("a three-letter currency code such as CNY", code: .invalidValue) { code in
            code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
        }
    }
}

/// `internal_staff: { initial: 120000, per_year: 60000 }`.
struct InternalStaffCosts {
    var initial: Double
    var perYear: Double
}

extension Syntax where Value == InternalStaffCosts {
    static var internalStaff: Syntax<InternalStaffCosts> {
        .mapping("internal staff costs") { map in
            InternalStaffCosts(initial: map.optional("initial", .amount) ?? 0,
                               perYear: map.optional("per_year", .amount) ?? 0)
        }
    }
}

extension Syntax where Value == Licence {
    static var licence: Syntax<Licence> {
        .mapping("licence") { map in
            Licence(perUserPerYear: map.required("per_user_per_year", .amount) ?? 0,
                    users: map.required("users", .integer.constrained("at least 0") { $0 >= 0 }) ?? 0)
        }
    }
}

extension Syntax where Value == MaintenanceSchedule {
    static var maintenance: Syntax<MaintenanceSchedule> {
        .mapping("maintenance") { map in
            MaintenanceSchedule(contractValue: map.required("contract_value", .amount) ?? 0,
                                freeYears: map.optional("free_years", .integer.constrained("at least 0") { $0 >= 0 }) ?? 0,
                                rates: map.required("rates", .list(of: .maintenanceRate)) ?? [])
        }
    }
}

extension Syntax where Value == MaintenanceRate {
    /// `{ years: 2-3, rate: 0.04 }` or `{ from_year: 4, rate: 0.03 }`.
    static var maintenanceRate: Syntax<MaintenanceRate> {
        .mapping("maintenance rate") { map in
            let years = map.optional("years", YearRange.syntax)
            let fromYear = map.optional("from_year", .integer.constrained("a year from 1 on") { $0 >= 1 })
            let rate = map.required("rate", .fraction)
            let form = map.choice(of: ["years", "from_year"], what: "the years it applies to")
            let range: (from: Int, to: Int?)? = switch form {
            case "years": years.map { ($0.first, $0.last) }
            case "from_year": fromYear.map { ($0, nil) }
            default: nil
            }
            guard let range, let rate else { return nil }
            return MaintenanceRate(fromYear: range.from, toYear: range.to, rate: rate, location: map.location)
        }
    }
}

extension Syntax where Value == Benefit {
    /// A benefit valued one way: time saved in a role, a KPI's improvement, or a fixed amount a year.
    static var benefit: Syntax<Benefit> {
        .mapping("benefit") { map in
            let id = map.required("id", .identifier)
            let name = map.required("name", .text)
            let timeSaved = map.optional("time_saved", .timeSaved)
            let kpi = map.optional("kpi", .reference)
            let valuePerUnit = map.optional("value_per_unit", .number)
            let fixed = map.optional("fixed_per_year", .amount)
            let rampUp = map.optional("ramp_up", .list(of: .fraction).constrained("a non-empty list of shares from 0 to 1") {
                !$0.isEmpty
            })
            let confidence = map.optional("confidence", .fraction)
            let form = map.choice(of: ["time_saved", "kpi", "fixed_per_year"], what: "a way to value it")
            if form == "kpi" && !map.contains("value_per_unit") {
                map.file.report(.error(.missingKey, "\(map.subject) values a KPI and needs 'value_per_unit': "
                                       + "the value of one unit of improvement a year", at: map.location))
            } else if let form, form != "kpi" {
                map.report(.conflictingKeys, "'value_per_unit' applies only to a benefit valued by a 'kpi'",
                           atKey: "value_per_unit")
            }
            let kind: Benefit.Kind? = switch form {
            case "time_saved": timeSaved
            case "kpi": kpi.flatMap { kpi in valuePerUnit.map { .kpiImprovement(kpi: kpi, valuePerUnit: $0) } }
            case "fixed_per_year": fixed.map { .fixed(perYear: $0) }
            default: nil
            }
            guard let id, let name, let kind else { return nil }
            return Benefit(id: id, name: name, kind: kind, rampUp: rampUp ?? [1], confidence: confidence ?? 1,
                           location: map.idLocation)
        }
    }
}

extension Syntax where Value == Benefit.Kind {
    /// `{ role: sales-rep, hours_per_week: 2, hourly_cost: 150, headcount: 40 }`; the role is a job title.
    static var timeSaved: Syntax<Benefit.Kind> {
        .mapping("time saved") { map in
            let role = map.required("role", .text)
            let hours = map.required("hours_per_week", .number.constrained("more than 0 and at most 168") {
                $0 > 0 && $0 <= 168
            })
            let cost = map.required("hourly_cost", .amount)
            let headcount = map.required("headcount", .integer.constrained("at least 1") { $0 >= 1 })
            guard let role, let hours, let cost, let headcount else { return nil }
            return .timeSaved(role: role, hoursPerWeek: hours, hourlyCost: cost, headcount: headcount)
        }
    }
}

extension Syntax where Value == EvaluationSettings {
    /// Every key is optional; the defaults are S1's: 10 % discount rate, 3 years, 6/12/24 months.
    static var evaluation: Syntax<EvaluationSettings> {
        .mapping("evaluation") { map in
            let defaults = EvaluationSettings()
            return EvaluationSettings(
                discountRate: map.optional("discount_rate", .fraction) ?? defaults.discountRate,
                horizonYears: map.optional("horizon_years", .integer.constrained("from 1 to 30 years") {
                    (1...30).contains($0)
                }) ?? defaults.horizonYears,
                projectionMonths: map.optional("projections", .list(of: .months)) ?? defaults.projectionMonths,
                workingWeeksPerYear: map.optional("working_weeks_per_year", .number.constrained("from 1 to 52") {
                    (1...52).contains($0)
                }) ?? defaults.workingWeeksPerYear)
        }
    }
}
