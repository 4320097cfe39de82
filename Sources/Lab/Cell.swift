import Foundation

/// Formatting numbers for CSV cells: fixed decimals, no locale, no exponent.
public enum Cell {
    public static func fixed(_ value: Double, _ decimals: Int = 3) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
