/// Go's math.Atan2 (Cephes' rational approximation), so `atan2` results match Prometheus bit
/// for bit; libm's atan2 differs in the last place for some inputs.
enum GoMath {
    static func atan2(_ y: Double, _ x: Double) -> Double {
        if y.isNaN || x.isNaN { return .nan }
        if y == 0 {
            if x >= 0, x.sign == .plus { return copysign(0, y) }
            return copysign(.pi, y)
        }
        if x == 0 { return copysign(.pi / 2, y) }
        if x.isInfinite {
            if x > 0 { return y.isInfinite ? copysign(.pi / 4, y) : copysign(0, y) }
            return y.isInfinite ? copysign(3 * .pi / 4, y) : copysign(.pi, y)
        }
        if y.isInfinite { return copysign(.pi / 2, y) }
        let q = atan(y / x)
        if x < 0 { return q <= 0 ? q + .pi : q - .pi }
        return q
    }

    static func atan(_ x: Double) -> Double {
        if x == 0 { return x }
        return x > 0 ? reducedAtan(x) : -reducedAtan(-x)
    }

    private static func reducedAtan(_ x: Double) -> Double {
        let moreBits = 6.123233995736765886130e-17
        let tan3PiOver8 = 2.41421356237309504880
        if x <= 0.66 { return rationalAtan(x) }
        if x > tan3PiOver8 { return .pi / 2 - rationalAtan(1 / x) + moreBits }
        return .pi / 4 + rationalAtan((x - 1) / (x + 1)) + 0.5 * moreBits
    }

    private static func rationalAtan(_ x: Double) -> Double {
        let p0 = -8.750608600031904122785e-01, p1 = -1.615753718733365076637e+01, p2 = -7.500855792314704667340e+01
        let p3 = -1.228866684490136173410e+02, p4 = -6.485021904942025371773e+01
        let q0 = 2.485846490142306297962e+01, q1 = 1.650270098316988542046e+02, q2 = 4.328810604912902668951e+02
        let q3 = 4.853903996359136964868e+02, q4 = 1.945506571482613964425e+02
        var z = x * x
        let numerator = (((p0 * z + p1) * z + p2) * z + p3) * z + p4
        let denominator = ((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4
        z = z * numerator / denominator
        return x * z + x
    }

    private static func copysign(_ magnitude: Double, _ sign: Double) -> Double {
        Double(sign: sign.sign, exponentBitPattern: magnitude.exponentBitPattern, significandBitPattern: magnitude.significandBitPattern)
    }
}
