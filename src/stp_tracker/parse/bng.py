"""British National Grid (EPSG:27700) eastings and northings to WGS84 longitude and latitude.

ONS publishes some boundary files in the National Grid. The map draws WGS84, so such files are
converted as Ordnance Survey describes in "A guide to coordinate systems in Great Britain":
the inverse Transverse Mercator projection onto the Airy 1830 ellipsoid (OSGB36), then a
seven-parameter Helmert transformation to WGS84. That is good to about 5 metres, far finer
than the generalised boundaries a map uses.
"""

from __future__ import annotations

import math

# Airy 1830 (OSGB36) and GRS80/WGS84 ellipsoids: semi-major and semi-minor axes in metres.
_AIRY = (6_377_563.396, 6_356_256.909)
_WGS84 = (6_378_137.000, 6_356_752.3141)
# The National Grid's true origin and scale.
_F0, _PHI0, _LAMBDA0 = 0.9996012717, math.radians(49.0), math.radians(-2.0)
_E0, _N0 = 400_000.0, -100_000.0
# OSGB36 -> WGS84: translations (m), rotations (arc seconds), scale (ppm): the OS parameters
# for WGS84 -> OSGB36 (-446.448, +125.157, -542.060; -0.1502, -0.2470, -0.8421; +20.4894)
# with their signs reversed.
_TX, _TY, _TZ = 446.448, -125.157, 542.060
_RX, _RY, _RZ = 0.1502, 0.2470, 0.8421
_S = -20.4894


def _meridional_arc(phi: float, a: float, b: float) -> float:
    n = (a - b) / (a + b)
    n2, n3 = n * n, n * n * n
    d, s = phi - _PHI0, phi + _PHI0
    return (
        b
        * _F0
        * (
            (1 + n + 1.25 * n2 + 1.25 * n3) * d
            - (3 * n + 3 * n2 + 2.625 * n3) * math.sin(d) * math.cos(s)
            + (1.875 * n2 + 1.875 * n3) * math.sin(2 * d) * math.cos(2 * s)
            - (35 / 24) * n3 * math.sin(3 * d) * math.cos(3 * s)
        )
    )


def _osgb36(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude (radians) on the Airy ellipsoid of a National Grid point."""
    a, b = _AIRY
    e2 = 1 - (b * b) / (a * a)
    phi = (northing - _N0) / (a * _F0) + _PHI0
    while True:
        gap = northing - _N0 - _meridional_arc(phi, a, b)
        if abs(gap) < 1e-5:
            break
        phi += gap / (a * _F0)
    sin, cos, tan = math.sin(phi), math.cos(phi), math.tan(phi)
    nu = a * _F0 / math.sqrt(1 - e2 * sin * sin)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin * sin) ** 1.5
    eta2 = nu / rho - 1
    sec, t2, t4 = 1 / cos, tan * tan, tan**4
    vii = tan / (2 * rho * nu)
    viii = tan / (24 * rho * nu**3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
    ix = tan / (720 * rho * nu**5) * (61 + 90 * t2 + 45 * t4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t2)
    xii = sec / (120 * nu**5) * (5 + 28 * t2 + 24 * t4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t2 + 1320 * t4 + 720 * tan**6)
    de = easting - _E0
    latitude = phi - vii * de**2 + viii * de**4 - ix * de**6
    longitude = _LAMBDA0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return latitude, longitude


def _cartesian(phi: float, lam: float, axes: tuple[float, float]) -> tuple[float, float, float]:
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return (
        nu * math.cos(phi) * math.cos(lam),
        nu * math.cos(phi) * math.sin(lam),
        (1 - e2) * nu * math.sin(phi),
    )


def _geodetic(x: float, y: float, z: float, axes: tuple[float, float]) -> tuple[float, float]:
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    p = math.hypot(x, y)
    phi = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        phi = math.atan2(z + e2 * nu * math.sin(phi), p)
    return phi, math.atan2(y, x)


def osgb36_latlon(easting: float, northing: float) -> tuple[float, float]:
    """OSGB36 latitude and longitude in degrees (no datum change), for checking the maths."""
    latitude, longitude = _osgb36(easting, northing)
    return math.degrees(latitude), math.degrees(longitude)


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """WGS84 (longitude, latitude) in degrees of a British National Grid point."""
    phi, lam = _osgb36(easting, northing)
    x, y, z = _cartesian(phi, lam, _AIRY)
    seconds = math.pi / (180 * 3600)
    rx, ry, rz, s = _RX * seconds, _RY * seconds, _RZ * seconds, _S * 1e-6
    x2 = _TX + (1 + s) * x - rz * y + ry * z
    y2 = _TY + rz * x + (1 + s) * y - rx * z
    z2 = _TZ - ry * x + rx * y + (1 + s) * z
    latitude, longitude = _geodetic(x2, y2, z2, _WGS84)
    return math.degrees(longitude), math.degrees(latitude)


def looks_like_grid(x: float, y: float) -> bool:
    """Whether a coordinate pair is plainly National Grid metres, not degrees."""
    return (abs(x) > 180 or abs(y) > 90) and -10_000 <= x <= 800_000 and -10_000 <= y <= 1_400_000


__all__ = ["looks_like_grid", "osgb36_latlon", "to_wgs84"]
