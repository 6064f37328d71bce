#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The range-vector functions as pure functions of one series' points, with Prometheus'
/// arithmetic (Kahan sums, reset-aware extrapolation) so results match bit for bit.
enum RangeFunctions {
    /// rate/increase/delta: the change over the window, extrapolated towards its edges;
    /// `mayReset` false when the window is known to hold no counter reset.
    static func extrapolatedRate(
        _ points: UnsafeBufferPointer<Point>,
        rangeStart: Int64,
        rangeEnd: Int64,
        range: Int64,
        isCounter: Bool,
        mayReset: Bool = true,
        isRate: Bool
    ) -> Double? {
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        var result = last.value - first.value
        // Without a fall in the window the walk adds nothing (its first point's check adds 0).
        if isCounter, mayReset {
            var previous = 0.0
            for point in points {
                if point.value < previous { result += previous }
                previous = point.value
            }
        }
        var durationToStart = Double(first.timestamp - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(points.count - 1)
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampledInterval
        if durationToStart >= threshold { durationToStart = averageInterval / 2 }
        if isCounter, result > 0, first.value >= 0 {
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        extrapolateTo += durationToStart
        if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
        extrapolateTo += durationToEnd
        var factor = extrapolateTo / sampledInterval
        if isRate { factor /= Double(range) / 1000 }
        return result * factor
    }

    /// irate/idelta: from the last two points.
    static func instantValue(_ points: UnsafeBufferPointer<Point>, isRate: Bool) -> Double? {
        guard points.count >= 2 else { return nil }
        let last = points[points.endIndex - 1], previous = points[points.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    static func kahanAdd(_ increment: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
        let total = sum + increment
        var c = compensation
        if abs(sum) >= abs(increment) {
            c += (sum - total) + increment
        } else {
            c += (increment - total) + sum
        }
        return (total, c)
    }

    /// Least-squares slope and the intercept at `interceptTime`.
    static func linearRegression(_ points: UnsafeBufferPointer<Point>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initial = points[points.startIndex].value
        var constant = true
        for (index, point) in points.enumerated() {
            if constant, index > 0, point.value != initial { constant = false }
            n += 1
            let x = Double(point.timestamp - interceptTime) / 1e3
            (sumX, cX) = kahanAdd(x, sumX, cX)
            (sumY, cY) = kahanAdd(point.value, sumY, cY)
            (sumXY, cXY) = kahanAdd(x * point.value, sumXY, cXY)
            (sumX2, cX2) = kahanAdd(x * x, sumX2, cX2)
        }
        if constant {
            return initial.isInfinite ? (.nan, .nan) : (0, initial)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covariance = sumXY - sumX * sumY / n
        let variance = sumX2 - sumX * sumX / n
        let slope = covariance / variance
        return (slope, sumY / n - slope * sumX / n)
    }

    static func changes(_ points: UnsafeBufferPointer<Point>) -> Double {
        var count = 0.0
        var previous = points[points.startIndex].value
        for point in points.dropFirst() {
            if point.value != previous, !(point.value.isNaN && previous.isNaN) { count += 1 }
            previous = point.value
        }
        return count
    }

    static func resets(_ points: UnsafeBufferPointer<Point>) -> Double {
        var count = 0.0
        var previous = points[points.startIndex].value
        for point in points.dropFirst() {
            if point.value < previous { count += 1 }
            previous = point.value
        }
        return count
    }

    static func average(_ points: UnsafeBufferPointer<Point>) -> Double {
        var mean = 0.0, count = 0.0, c = 0.0
        for point in points {
            count += 1
            let v = point.value
            if mean.isInfinite {
                if v.isInfinite, (mean > 0) == (v > 0) { continue }
                if !v.isInfinite, !v.isNaN { continue }
            }
            (mean, c) = kahanAdd(v / count - mean / count, mean, c)
        }
        return mean.isInfinite ? mean : mean + c
    }

    static func sum(_ points: UnsafeBufferPointer<Point>) -> Double {
        var sum = 0.0, c = 0.0
        for point in points { (sum, c) = kahanAdd(point.value, sum, c) }
        return sum.isInfinite ? sum : sum + c
    }

    static func minimum(_ points: UnsafeBufferPointer<Point>) -> Double {
        var result = points[points.startIndex].value
        for point in points where point.value < result || result.isNaN { result = point.value }
        return result
    }

    static func maximum(_ points: UnsafeBufferPointer<Point>) -> Double {
        var result = points[points.startIndex].value
        for point in points where point.value > result || result.isNaN { result = point.value }
        return result
    }

    static func variance(_ points: UnsafeBufferPointer<Point>) -> Double {
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for point in points {
            count += 1
            let delta = point.value - (mean + cMean)
            (mean, cMean) = kahanAdd(delta / count, mean, cMean)
            (aux, cAux) = kahanAdd(delta * (point.value - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }
}
